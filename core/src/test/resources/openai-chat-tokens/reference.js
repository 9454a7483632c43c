const { promptTokensEstimate } = require("openai-chat-tokens");
const req = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const functions = req.tools ? req.tools.map(t => t.function) : req.functions;
console.log(promptTokensEstimate({ messages: req.messages, functions }));
