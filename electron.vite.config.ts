import { join, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// out/ by default; ECD_OUT_DIR builds elsewhere (a test that must not rewrite the out/ a running app serves).
const outDir = resolve(process.env.ECD_OUT_DIR || 'out');

export default defineConfig({
  main: {
    build: {
      outDir: join(outDir, 'main'),
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // The write worker and its page reader (electron/core/writer/): out/main/writer-worker.js and page-reader.js,
          // found beside index.js at run time (writer/entries.ts).
          'writer-worker': resolve('electron/core/writer/worker.ts'),
          'page-reader': resolve('electron/core/writer/reader.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: join(outDir, 'preload'),
      // A sandboxed preload cannot be an ES module.
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    // Absolute asset URLs so deep links reload correctly on both app://desk/ and the browser host.
    base: '/',
    plugins: [react()],
    build: {
      outDir: join(outDir, 'renderer'),
      emptyOutDir: true,
      minify: !process.env.ECD_NO_MINIFY,
      sourcemap: false,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
