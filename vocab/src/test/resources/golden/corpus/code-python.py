def tokenize(text: str) -> list[int]:
    """Return token ids."""
    out = []
    for i, ch in enumerate(text):
        if ch.isspace() and i > 0:
            out.append(ord(ch) ** 2 % 7)   # comment with   spaces
    return [x for x in out if x != 0]


if __name__ == "__main__":
    print(tokenize("a b\tc"), {"k": [1, 2, 3]}, f"{3.0:.2f}")
