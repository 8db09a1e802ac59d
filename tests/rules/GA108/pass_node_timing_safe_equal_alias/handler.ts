import { timingSafeEqual as same } from "node:crypto";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { policy } from "./policy.js";

export const handler = async (event: APIGatewayRequestAuthorizerEvent) => {
  const presented = Buffer.from(event.headers?.["x-api-key"] ?? "");
  const expected = Buffer.from(process.env.API_KEY ?? "");
  // expect: passed aws_api_gateway_authorizer.api_key
  const allowed = presented.length === expected.length && same(presented, expected);
  return policy(allowed ? "Allow" : "Deny", event.methodArn);
};
