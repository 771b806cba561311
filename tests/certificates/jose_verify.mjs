// A third-party verifier for the interoperability tests: Node's jose, picking the key from a JWKS by the header's kid.
// Usage: node jose_verify.mjs <folder where jose is installed>; stdin {jwks, issuer, tokens: {name: jwt}};
// stdout {name: {valid, kid?, payload?, code?}}.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const folder = process.argv[2];
// jose is an ES module installed outside this repository: resolve it from that folder, as
// bare ES module imports never consult NODE_PATH.
const entry = createRequire(`${folder}/`).resolve("jose");
const { createLocalJWKSet, jwtVerify } = await import(pathToFileURL(entry).href);

let text = "";
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const keys = createLocalJWKSet(input.jwks);
const verdicts = {};
for (const [name, token] of Object.entries(input.tokens)) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, { algorithms: ["EdDSA"], issuer: input.issuer });
    verdicts[name] = { valid: true, kid: protectedHeader.kid, payload };
  } catch (error) {
    verdicts[name] = { valid: false, code: error.code || error.name };
  }
}
process.stdout.write(JSON.stringify(verdicts));
