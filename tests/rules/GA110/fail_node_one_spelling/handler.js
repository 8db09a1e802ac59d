const { timingSafeEqual } = require("node:crypto");
const { policy } = require("./lib/policy");

exports.handler = async (event) => {
  // expect: failed aws_api_gateway_authorizer.api_key
  const presented = Buffer.from(event.headers?.["x-api-key"] ?? "");
  const expected = Buffer.from(process.env.API_KEY ?? "");
  const ok = presented.length === expected.length && timingSafeEqual(presented, expected);
  return policy(ok ? "Allow" : "Deny", event.methodArn);
};
