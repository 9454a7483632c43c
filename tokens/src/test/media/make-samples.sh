#!/usr/bin/env bash
# Generates the media samples the tests read, with the real tools: ImageMagick, sox, ffmpeg,
# ghostscript and qpdf, from Debian's packages:
#   apt-get install imagemagick sox libsox-fmt-all ffmpeg libheif1 ghostscript qpdf
# and records ffprobe's duration of each audio and video file in durations.tsv, the independent
# reference the tests compare Kopeck's durations with. The samples are small and committed; the
# build never runs this.
#   tokens/src/test/media/make-samples.sh
set -euo pipefail
cd "$(dirname "$0")/../resources/media"
rm -f ./*.png ./*.jpg ./*.gif ./*.webp ./*.bmp ./*.heic ./*.avif ./*.wav ./*.mp3 ./*.flac ./*.ogg ./*.opus \
  ./*.m4a ./*.aac ./*.aiff ./*.mp4 ./*.mov ./*.webm ./*.mkv ./*.pdf
q() { "$@" >/dev/null 2>&1; }
# images: solid colours keep them tiny; dimensions are what matter
q convert -size 1000x500 xc:'#c33' png-1000x500.png
q convert -size 384x384 xc:'#3c3' -quality 80 jpeg-384x384.jpg
q convert -size 3000x2000 xc:'#33c' -interlace Plane -quality 70 jpeg-progressive-3000x2000.jpg
# a JPEG whose frame header comes after a 20 KB EXIF segment
python3 - <<'PY'
import struct
b = open("jpeg-384x384.jpg", "rb").read()
payload = b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + bytes(20000)
app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
open("jpeg-exif-384x384.jpg", "wb").write(b[:2] + app1 + b[2:])
PY
q convert -size 200x100 xc:'#cc3' gif-200x100.gif
q convert -size 800x600 xc:'#3cc' -quality 50 webp-lossy-800x600.webp
q convert -size 300x200 xc:'#c3c' -define webp:lossless=true webp-lossless-300x200.webp
q convert -size 1024x768 xc:'rgba(255,0,0,0.5)' -define webp:lossless=false webp-alpha-1024x768.webp
q convert -size 640x480 xc:'#888' -type Palette -colors 2 -compress RLE bmp3:bmp-640x480.bmp
q convert -size 1920x1080 xc:'#a52' heic-1920x1080.heic
q convert -size 500x500 xc:'#25a' avif-500x500.avif
# audio
q sox -n -r 16000 -c 1 wav-2.5s.wav synth 2.5 sine 440
q sox -n -r 48000 -c 3 -b 24 wav-extensible-1s.wav synth 1 sine 440
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=3:sample_rate=44100 -c:a libmp3lame -b:a 64k -write_xing 0 mp3-cbr-3s.mp3
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libmp3lame -q:a 4 mp3-xing-2s.mp3
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libmp3lame -b:a 96k -metadata title=Kopeck -id3v2_version 3 mp3-id3-2s.mp3
q sox -n -r 44100 -c 2 flac-1.5s.flac synth 1.5 sine 440
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libvorbis vorbis-2s.ogg
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=48000 -c:a libopus opus-2s.opus
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a aac m4a-2s.m4a
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a aac -f adts adts-2s.aac
q sox -n -r 22050 -c 1 aiff-1s.aiff synth 1 sine 440
# video
q ffmpeg -y -f lavfi -i testsrc=duration=3:size=320x240:rate=10 -c:v libx264 -pix_fmt yuv420p mp4-3s-320x240.mp4
q ffmpeg -y -f lavfi -i testsrc=duration=3:size=320x240:rate=10 -c:v libx264 -pix_fmt yuv420p -movflags +faststart mp4-faststart-3s.mp4
q ffmpeg -y -f lavfi -i testsrc=duration=2:size=160x120:rate=10 -c:v libx264 -pix_fmt yuv420p mov-2s.mov
q ffmpeg -y -f lavfi -i testsrc=duration=2:size=160x120:rate=10 -c:v libvpx -b:v 100k webm-2s-160x120.webm
q ffmpeg -y -f lavfi -i testsrc=duration=2:size=160x120:rate=10 -f lavfi -i sine=duration=2 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest mkv-2s.mkv
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2 -c:a libvorbis webm-audio-2s.webm
# documents
q gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -o pdf-3pages.pdf \
  -c "/Helvetica findfont 24 scalefont setfont 72 720 moveto (one) show showpage 72 720 moveto (two) show showpage 72 720 moveto (three) show showpage"
q qpdf --object-streams=generate pdf-3pages.pdf pdf-objstm-3pages.pdf
# the reference durations
printf 'file\tseconds\n' > durations.tsv
for f in *.wav *.mp3 *.flac *.ogg *.opus *.m4a *.aac *.aiff *.mp4 *.mov *.webm *.mkv; do
  d=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$f")
  printf '%s\t%s\n' "$f" "$d" >> durations.tsv
done
ls -la
