import { defineConfig } from "vitest/config";

declare const process: { env: Record<string, string | undefined> };

// The service serves dist/ under a strict Content-Security-Policy (script-src 'self', style-src 'self'):
// everything must be an external file with a hashed name under assets/, nothing inlined into index.html.
const target = process.env.AGENTCHAT_URL ?? "http://localhost:8000";

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    // Never inline assets as data: URLs into CSS/JS; small files stay files.
    assetsInlineLimit: 0,
    // The polyfill is an inline script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    cssCodeSplit: true,
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/auth/config": { target, changeOrigin: false },
    },
  },
  preview: {
    // The policy the service sends with the UI's pages, so `npm run preview` shows any violation.
    headers: {
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    },
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
  },
});
