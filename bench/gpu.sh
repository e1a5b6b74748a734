#!/usr/bin/env bash
# The engine bench on a GPU machine that has no Node and no network (a Python/CUDA image) and
# takes at most 64 MiB: `bench/gpu.sh pack` here builds .gpu-bench/ (about 35 MB): this
# machine's node binary (xz), an esbuild bundle of bench/run.ts, and of the `webgpu` package
# only its linux-x64 Dawn addon (xz) plus the Vulkan loader; `bash run.sh` there unpacks them
# and runs `bench --backend webgpu` (WebGPU beside single-thread WASM, same run, same machine).
# Dawn's Vulkan backend needs libvulkan.so.1 (the loader, carried) and the driver's ICD: NVIDIA
# images have /usr/share/vulkan/icd.d/nvidia_icd.json only when NVIDIA_DRIVER_CAPABILITIES has
# "graphics"; otherwise run.sh writes one for libGLX_nvidia.so.0 if the driver ships it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.gpu-bench

pack() {
  rm -rf "$OUT" && mkdir -p "$OUT/node_modules/webgpu/dist/linux-x64" "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/dist" "$OUT/lib"
  xz -T0 -9 -c "$(command -v node)" > "$OUT/node.xz"
  # One file, tfjs-core inside; `webgpu` stays a runtime import (the engine loads it by name).
  npx esbuild bench/run.ts --bundle --platform=node --format=esm --target=node20 --outfile="$OUT/bench.mjs" \
    --external:webgpu --external:better-sqlite3 --external:ffmpeg-static --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" --log-level=warning
  local wg=node_modules/webgpu
  cp "$wg/package.json" "$wg/index.js" "$OUT/node_modules/webgpu/"
  xz -T0 -9 -c "$wg/dist/linux-x64/dawn.node" > "$OUT/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
  # The engine finds the .wasm binaries next to the package's main file (backend.ts defaultWasmDir).
  local wasm=node_modules/@tensorflow/tfjs-backend-wasm
  cp "$wasm/package.json" "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/"
  cp "$wasm"/dist/*.wasm "$wasm/dist/tf-backend-wasm.node.js" "$OUT/node_modules/@tensorflow/tfjs-backend-wasm/dist/"
  cp -L /usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$OUT/lib/" 2>/dev/null || echo "no libvulkan.so.1 here: the GPU machine must have its own" >&2
  cp bench/gpu.sh "$OUT/gpu.sh"
  printf '#!/usr/bin/env bash\nexec bash "$(dirname "$0")/gpu.sh" run "$@"\n' > "$OUT/run.sh"
  du -sh "$OUT"; du -ab "$OUT" | sort -n | tail -4
}

run() {
  cd "$(dirname "$0")"
  [ -x node ] || { xz -d -k -c node.xz > node && chmod +x node; }
  local addon=node_modules/webgpu/dist/linux-x64/dawn.node
  [ -f "$addon" ] || xz -d -k "$addon.xz"
  # The carried loader only where the image has none.
  ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' || export LD_LIBRARY_PATH="$PWD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  if ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q libGLX_nvidia.so.0; then
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3"}}\n' > nvidia_icd.json
    export VK_ICD_FILENAMES="$PWD/nvidia_icd.json"
  fi
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
  ./node --version
  ./node bench.mjs --backend webgpu --steps "${STEPS:-10}" "$@"
}

case "${1:-}" in
  pack) pack ;;
  run) shift; run "$@" ;;
  *) echo "usage: bench/gpu.sh pack   (here; writes $OUT/)  |  bash $OUT/run.sh   (on the GPU machine)" >&2; exit 2 ;;
esac
