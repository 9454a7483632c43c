#!/usr/bin/env bash
# The samples of detection by structure and of the containers: media with tags, junk and chains
# (ffmpeg, sox), formats Kopeck names but does not read (ffmpeg, ImageMagick), and texts that begin
# like media. Records what each is in containers.tsv: ffprobe's duration in seconds, "text", or
# "unread". Needs ffmpeg, sox, ImageMagick and python3:
#   apt-get install ffmpeg sox imagemagick
#   tokens/src/test/media/make-container-samples.sh
set -euo pipefail
cd "$(dirname "$0")/../resources/media"
q() { "$@" >/dev/null 2>&1; }
d=$(mktemp -d)
# MP3 without a VBR header, then an APEv2 tag; a Lyrics3v2 tag and an ID3v1 tag; 3,000 zero bytes before it
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libmp3lame -b:a 64k -write_xing 0 \
  -id3v2_version 0 -write_apetag 1 -metadata title=Kopeck mp3-apetag-2s.mp3
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libmp3lame -b:a 64k -write_xing 0 \
  -id3v2_version 0 "$d/plain.mp3"
python3 - "$d/plain.mp3" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
lyrics = b"LYRICSBEGIN" + b"IND00003110" + b"LYR00012[00:01]Kopeck"
tag = lyrics + b"%06d" % len(lyrics) + b"LYRICS200"
id3v1 = b"TAG" + b"Kopeck".ljust(30, b"\0") + bytes(30) + bytes(30) + b"2026" + bytes(30) + b"\x00"
open("mp3-lyrics3-id3v1-2s.mp3", "wb").write(b + tag + id3v1)
open("mp3-after-zeros-2s.mp3", "wb").write(bytes(3000) + b)
PY
# RF64 (a WAV whose sizes are in ds64), a chained Ogg Vorbis of 2 s + 3 s
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=1.5:sample_rate=16000 -rf64 always wav-rf64-1.5s.wav
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a libvorbis "$d/a.ogg"
q ffmpeg -y -f lavfi -i sine=frequency=660:duration=3:sample_rate=22050 -c:a libvorbis "$d/b.ogg"
cat "$d/a.ogg" "$d/b.ogg" > ogg-chained-5s.ogg
# ffprobe's duration of a chained Ogg is one link's: the reference is the sum of the links'
da=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$d/a.ogg")
db=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$d/b.ogg")
chained=$(python3 -c "import sys; print('%.6f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$da" "$db")
# fragmented MP4 and M4A
q ffmpeg -y -f lavfi -i testsrc=duration=3:size=160x120:rate=10 -c:v libx264 -pix_fmt yuv420p \
  -movflags frag_keyframe+empty_moov -frag_duration 500000 mp4-fragmented-3s.mp4
q ffmpeg -y -f lavfi -i sine=frequency=440:duration=2:sample_rate=44100 -c:a aac \
  -movflags frag_keyframe+empty_moov -frag_duration 500000 m4a-fragmented-2s.m4a
# the other video containers Gemini takes, with sound
v() { q ffmpeg -y -f lavfi -i testsrc=duration=3:size=160x120:rate=10 -f lavfi -i sine=frequency=440:duration=3 \
  -shortest "$@"; }
v avi-3s.avi
v -f flv flv-3s.flv
v wmv-3s.wmv
v -f mpegts ts-3s.ts
v -f vob mpg-3s.mpg
# formats named, not read
rm -f unread-avi.avi unread-ts.ts unread-ps.mpg unread-flv.flv unread-wmv.wmv
q convert -size 64x48 xc:'#c33' unread-tiff.tif
q convert -size 32x32 xc:'#3c3' unread-ico.ico
q convert -size 64x48 xc:'#33c' -depth 8 unread-pgm.pgm
# a PGM and a TIFF whose every byte is ASCII, so valid UTF-8: named by their structure all the same
q convert -size 16x8 xc:'rgb(65,65,65)' -depth 8 unread-pgm-utf8.pgm
q convert -size 8x8 xc:'rgb(65,65,65)' -depth 8 -type Grayscale -compress none -strip unread-tiff-utf8.tif
python3 - <<'PY'
for f in ("unread-pgm-utf8.pgm", "unread-tiff-utf8.tif"):
    open(f, "rb").read().decode("utf-8")  # fails the script if the sample is not valid UTF-8
PY
# texts that begin like media
printf 'GIF89a is how a GIF begins, not this.' > text-gif89a.txt
printf 'ID3 tags are what MP3 files carry.\n' > text-id3.txt
printf 'OggS, fLaC, RIFF and %%PDF- begin files.' > text-oggs.txt
printf 'fLaC is how FLAC audio begins.\n' > text-flac.txt
printf 'RIFF....WAVE is how a WAV begins.\n' > text-riff.txt
printf '%%PDF- is the magic of a PDF document.\n' > text-pdf.txt
python3 -c 'open("text-utf16le.txt","wb").write(b"\xff\xfe" + "Hello, kopeck: привет".encode("utf-16-le"))'
printf 'file\texpected\n' > containers.tsv
printf 'ogg-chained-5s.ogg\t%s\n' "$chained" >> containers.tsv
for f in mp3-apetag-2s.mp3 mp3-lyrics3-id3v1-2s.mp3 mp3-after-zeros-2s.mp3 wav-rf64-1.5s.wav \
    mp4-fragmented-3s.mp4 m4a-fragmented-2s.m4a avi-3s.avi flv-3s.flv wmv-3s.wmv ts-3s.ts mpg-3s.mpg; do
  printf '%s\t%s\n' "$f" "$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$f")" >> containers.tsv
done
for f in unread-*; do printf '%s\tunread\n' "$f" >> containers.tsv; done
for f in text-*; do printf '%s\ttext\n' "$f" >> containers.tsv; done
rm -rf "$d"
cat containers.tsv
