import { timingSafeEqual } from "node:crypto";

export const handler = async (event) => {
  const presented = Buffer.from(event.headers?.["x-api-key"] ?? "");
  const expected = Buffer.from(process.env.API_KEY ?? "");
  const allowed = presented.length === expected.length && timingSafeEqual(presented, expected);
  // An HTTP API's simple response, given to a REST API: every request gets a 500.
  // expect: failed aws_api_gateway_authorizer.api_key
  return { isAuthorized: allowed };
};
