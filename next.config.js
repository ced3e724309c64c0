// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native or file-backed packages stay outside the bundle: PGlite loads its WASM
  // and data files at run time, argon2 is a native addon, pino spawns workers.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "pino"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a 403 for signed-in people who are not admins.
  experimental: { authInterrupts: true },
  // Clients configured for MCPHub's original paths keep working.
  async rewrites() {
    return [
      { source: "/mcp", destination: "/api/mcp" },
      { source: "/mcp/:group", destination: "/api/mcp/:group" },
    ];
  },
};

module.exports = nextConfig;
