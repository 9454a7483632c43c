#!/usr/bin/env bash
# The PDF samples of the page-count tests, derived from pdf-3pages.pdf (made by make-samples.sh
# with ghostscript) by qpdf and by incremental updates written here, as an editor appends them.
# Records qpdf's own page count of each in pdf-pages.tsv, the reference the tests compare with
# ("password" where qpdf cannot open the file without one). Needs qpdf and python3:
#   apt-get install qpdf
#   tokens/src/test/media/make-pdf-samples.sh
set -euo pipefail
cd "$(dirname "$0")/../resources/media"
rm -f pdf-*-*.pdf.tmp
base=pdf-3pages.pdf
Q() { qpdf "$@" || [ $? -eq 3 ]; }   # exit 3: written, with warnings
# whole files written by qpdf
Q --linearize $base pdf-linearized-3pages.pdf
Q --empty --pages $base 1-2 -- pdf-base-2pages.pdf.tmp
Q --empty --pages $base $base $base 1 -- --object-streams=disable pdf-7pages.pdf.tmp
pages250=(); for i in $(seq 83); do pages250+=($base); done
Q --empty --pages "${pages250[@]}" $base 1 -- --object-streams=generate pdf-objstm-250pages.pdf
Q pdf-7pages.pdf.tmp --add-attachment pdf-objstm-250pages.pdf --mimetype=application/pdf -- \
  --compress-streams=n --object-streams=disable pdf-attachment-250-in-7pages.pdf
Q --allow-weak-crypto --object-streams=generate --encrypt "" owner 40 -- $base pdf-rc4-40-3pages.pdf
Q --allow-weak-crypto --object-streams=generate --encrypt "" owner 128 --use-aes=n -- $base pdf-rc4-128-3pages.pdf
Q --object-streams=generate --encrypt "" owner 128 --use-aes=y -- $base pdf-aes-128-3pages.pdf
Q --object-streams=generate --encrypt "" owner 256 -- $base pdf-aes-256-3pages.pdf
Q --object-streams=generate --encrypt secret owner 256 -- $base pdf-password-aes-256.pdf
Q --allow-weak-crypto --encrypt secret owner 128 --use-aes=n -- $base pdf-password-rc4-128.pdf
# incremental updates and hand-made structure
python3 - <<'PY'
import re

def trailer_of(data):
    t = data[data.rindex(b"trailer"):]
    return t[:t.index(b">>", t.index(b"<<")) + 2]

def incremental(src, dst, objects, extra=b""):
    """Appends objects (number -> body) as an update: a new cross-reference table whose /Prev is the old one."""
    data = open(src, "rb").read()
    prev = int(re.search(rb"startxref\s+(\d+)", data[-64:]).group(1))
    t = trailer_of(data)
    size = int(re.search(rb"/Size (\d+)", t).group(1))
    root = re.search(rb"/Root \d+ 0 R", t).group(0)
    ident = re.search(rb"/ID\s*\[[^\]]*\]", t)
    out = bytearray(data) + b"\n" + extra
    offs = {}
    for num, body in objects.items():
        offs[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offs):
        out += b"%d 1\n%010d 00000 n \n" % (num, offs[num])
    size = max(size, max(offs) + 1)
    out += b"trailer\n<< /Size %d %s %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, ident.group(0) if ident else b"", prev, xref)
    open(dst, "wb").write(out)

def whole(dst, objects, root):
    """A file from scratch: objects (number -> body), one cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num in sorted(objects):
        offs[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    xref = len(out)
    n = max(offs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    for num in range(1, n):
        out += b"%010d 00000 n \n" % offs[num] if num in offs else b"0000000000 00000 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, root, xref)
    open(dst, "wb").write(out)

# pdf-3pages.pdf: catalog 1, info 2, page tree 3, pages 4, 9, 13
incremental("pdf-3pages.pdf", "pdf-update-3to1pages.pdf", {3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"})
incremental("pdf-3pages.pdf", "pdf-indirect-count-3pages.pdf",
            {3: b"<< /Type /Pages /Kids [4 0 R 9 0 R 13 0 R] /Count 18 0 R >>", 18: b"6"})
incremental("pdf-3pages.pdf", "pdf-lookalikes-3pages.pdf",
            {2: b"<< /Title (/Type /Pages /Count 1000) /Producer (Kopeck tests) >>",
             19: b"<< /Length 41 >>\nstream\nBT (/Type /Pages /Count 555) Tj ET % x\nendstream"},
            extra=b"% /Type /Pages /Count 777\n")
data = open("pdf-base-2pages.pdf.tmp", "rb").read()
size = int(re.search(rb"/Size (\d+)", trailer_of(data)).group(1))
incremental("pdf-base-2pages.pdf.tmp", "pdf-orphan-count500-2pages.pdf",
            {size: b"<< /Type /Pages /Count 500 /Kids [] >>"})
# a page tree three levels deep: 5 pages
page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 200] >>"
whole("pdf-deep-tree-5pages.pdf", {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 5 >>",
    3: b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
    4: b"<< /Type /Pages /Parent 2 0 R /Kids [7 0 R 8 0 R] /Count 3 >>",
    5: page % 3, 6: page % 3,
    7: b"<< /Type /Pages /Parent 4 0 R /Kids [9 0 R 10 0 R] /Count 2 >>",
    8: page % 4, 9: page % 7, 10: page % 7}, 1)
# damaged: startxref points nowhere; the cross-reference and trailer cut off
data = open("pdf-3pages.pdf", "rb").read()
i = data.rindex(b"startxref")
open("pdf-bad-startxref-3pages.pdf", "wb").write(data[:i] + b"startxref\n9\n%%EOF\n")
open("pdf-no-xref-3pages.pdf", "wb").write(data[:data.rindex(b"xref", 0, i)])
PY
rm -f ./*.pdf.tmp
# qpdf's count of each: the pages its page tree holds (qpdf --json's "pages"; --show-npages and
# pdfinfo print the root's /Count instead, which pdf-indirect-count-3pages.pdf sets to 6 over 3
# pages); "password" when qpdf cannot open it without one, "unreadable" when it cannot open it
printf 'file\tpages\n' > pdf-pages.tsv
for f in pdf-*.pdf; do
  out=$(qpdf --json --json-key=pages "$f" 2>/dev/null || true)
  err=$(qpdf --json --json-key=pages "$f" 2>&1 >/dev/null || true)
  n=$(printf '%s' "$out" | python3 -c 'import json,sys
try: print(len(json.load(sys.stdin)["pages"]))
except Exception: print("")')
  if [ -z "$n" ]; then
    case "$err" in *password*) n=password ;; *) n=unreadable ;; esac
  fi
  printf '%s\t%s\n' "$f" "$n" >> pdf-pages.tsv
done
cat pdf-pages.tsv
