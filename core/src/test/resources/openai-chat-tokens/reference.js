const { promptTokensEstimate } = require("openai-chat-tokens");
const req = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const functions = req.tools ? req.tools.map(t => t.function) : req.functions;
// tool_choice as the function_call it replaced: "none", "auto", or {"name": ...}
const choice = req.tool_choice;
const function_call = choice === undefined ? req.function_call : typeof choice === "string" ? choice : choice.function;
console.log(promptTokensEstimate({ messages: req.messages, functions, function_call }));
