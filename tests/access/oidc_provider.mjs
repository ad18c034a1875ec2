// A real OpenID Connect provider for the single sign-on tests (npm's oidc-provider), on
// localhost. Usage: node oidc_provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI ACCOUNTS_JSON
// ACCOUNTS_JSON maps an account id to {email, given_name, family_name, groups}.
// POST /test/disable?sub=ID disables an account: it can no longer sign in, and a silent
// re-authentication (prompt=none) of its session fails.
import Provider, { interactionPolicy } from "oidc-provider";

const [port, clientId, clientSecret, redirectUri, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);
const disabled = new Set();

// A disabled account's session asks for a login again, which a silent re-authentication
// (prompt=none) answers with login_required, as an organisation's provider does.
const { base, Check } = interactionPolicy;
const policy = base();
policy.get("login").checks.add(
  new Check("account_disabled", "the account is disabled", (ctx) =>
    disabled.has(ctx.oidc.session.accountId) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
  ),
  0,
);

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name"],
    groups: ["groups"],
  },
  cookies: { keys: ["a-test-only-cookie-key"] },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  interactions: { policy },
  async findAccount(ctx, sub) {
    if (!accounts[sub] || disabled.has(sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email_verified: true, ...accounts[sub] };
      },
    };
  },
  // Every client is this test's own: no consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile groups");
    grant.addOIDCClaims(["email", "email_verified", "given_name", "family_name", "groups"]);
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.method === "POST" && ctx.path === "/test/disable") {
    disabled.add(ctx.query.sub);
    ctx.body = "disabled";
    return;
  }
  await next();
});

provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(Number(port), "127.0.0.1", () => console.log(`listening on ${port}`));
