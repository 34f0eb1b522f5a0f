#!/usr/bin/env bash
# Draws the icons in public/ from public/logo.svg, the Mandate mark. Run it by hand after changing
# the mark and commit what it writes: nothing builds icons at install or start. Needs rsvg-convert
# and ImageMagick (Debian: apt-get install librsvg2-bin imagemagick).
set -euo pipefail
cd "$(dirname "$0")/../public"

cp logo.svg icon.svg
for size in 192 512; do rsvg-convert -w "$size" -h "$size" logo.svg -o "icon-$size.png"; done
# iOS rounds the corners itself and turns transparency black: its icon is the full square.
sed 's/rx="7"/rx="0"/' logo.svg | rsvg-convert -w 180 -h 180 -o apple-touch-icon.png

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 16 32 48; do rsvg-convert -w "$size" -h "$size" logo.svg -o "$tmp/$size.png"; done
convert "$tmp/16.png" "$tmp/32.png" "$tmp/48.png" favicon.ico
