#!/usr/bin/env bash
# Regenerates the packaging icons from resources/icon.svg (needs ImageMagick: apt-get install -y imagemagick).
# electron-builder picks resources/icon.png (Linux, 512×512) and resources/icon.ico (Windows, 16–256 px).
set -euo pipefail
cd "$(dirname "$0")/../resources"
convert -background none -density 384 icon.svg -resize 512x512 -depth 8 icon.png
convert icon.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
