#!/bin/sh
# The model bundle baked into the image (the Dockerfile's build stage runs this after npm run build):
#   sh deploy/docker/bake-model.sh none|train|<bundle dir> <models dir>
# none: <models dir> stays empty and a bundle is mounted at run time; train: the default model,
# trained on the bundled data; a bundle directory: verified and published into <models dir> as
# `npm run train -- --from-bundle` does. A bundle lands in <models dir>/<version>, with
# <models dir>/current pointing at it.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: sh deploy/docker/bake-model.sh none|train|<bundle dir> <models dir>" >&2
  exit 2
fi
bundle="$1"
out="$2"
mkdir -p "$out"
case "$bundle" in
  none) echo "no model bundle baked in: mount one at MODEL_DIR" ;;
  train) node dist/apps/train/main.js --out "$out" ;;
  *) node dist/apps/train/main.js --from-bundle "$bundle" --out "$out" ;;
esac
