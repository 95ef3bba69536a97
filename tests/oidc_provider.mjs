// A real OpenID provider for the tests: the certified `oidc-provider` package (npm), on a loopback port.
// Usage: CGC_NODE_MODULES=build/web-assets/node_modules node tests/oidc_provider.mjs CONFIG.json
// (CONFIG: port, client, redirect URIs, accounts with their claims; scripts/web-assets.sh installs the package)
// Its development login form accepts any password for a listed account; the tests drive that form.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.CGC_NODE_MODULES;
const { default: Provider } = await import(pathToFileURL(join(modules, "oidc-provider/lib/index.js")).href);

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      post_logout_redirect_uris: config.post_logout_redirect_uris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], profile: ["preferred_username", "cgc_role", "cgc_municipality"] },
  cookies: { keys: ["cgc-test-provider-cookie-key"] },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, preferred_username: id, ...claims }; } };
  },
});
provider.listen(config.port, "127.0.0.1", () => console.log(`ready ${issuer}`));
