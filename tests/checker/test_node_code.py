"""Reading a Node.js authorizer's code (issue 17): the same facts as the Python analysis, from JavaScript and
TypeScript handlers, through helpers and modules of the same package, at the lines they are written on."""

from __future__ import annotations

import textwrap

import pytest

from gateaudit import authorizer_code, node_code
from gateaudit.model import CodeBehaviour, FunctionCode, SourceFile, Unknown
from gateaudit.modules import load
from gateaudit.node_code import analyse


def code(files: dict[str, str], handler: str = "handler.handler") -> FunctionCode:
    return FunctionCode("node", handler, tuple(SourceFile(name, f"src/{name}", textwrap.dedent(text))
                                               for name, text in files.items()), "the test's files")


def behaviour(files: dict[str, str], handler: str = "handler.handler", header: str = "x-api-key") -> CodeBehaviour:
    found = analyse(code(files, handler), header)
    assert isinstance(found, CodeBehaviour), found
    return found


def shapes(found: CodeBehaviour) -> list[tuple]:
    return [(a.location.line, sorted(a.keys) if a.keys is not None else None, a.effect) for a in found.answers]


SEED_LIKE = """\
    const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");

    const client = new SecretsManagerClient({});

    async function getApiKey() {
      try {
        const response = await client.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_NAME }));
        return JSON.parse(response.SecretString).api_key;
      } catch (error) {
        console.error("could not read the key", error);
        return null;
      }
    }

    exports.handler = async (event) => {
      console.log(`Received event: ${JSON.stringify(event)}`);
      const apiKey = event.headers["x-api-key"];
      const expected = await getApiKey();
      try {
        if (apiKey == expected) {
          return { isAuthorized: true };
        }
        return { isAuthorized: false };
      } catch (err) {
        return { isAuthorized: true };
      }
    };
    """


def test_a_blog_authorizer_in_javascript_shows_every_defect_at_its_line():
    found = behaviour({"handler.js": SEED_LIKE})
    assert found.entry.line == 15 and found.entry.file == "src/handler.js"
    assert shapes(found) == [(21, ["isAuthorized"], "allow"), (23, ["isAuthorized"], "deny"),
                             (25, ["isAuthorized"], "allow")]
    [comparison] = found.comparisons
    assert (comparison.location.line, comparison.how, comparison.constant_time, comparison.against,
            comparison.both_may_be_none) == (20, "==", False, "the secret's value", True)
    assert [(f.location.line, f.what, f.sink) for f in found.logged] == [(16, "the event", "console.log")]
    assert [(p.location.line, p.outcome) for p in found.error_paths] == [(24, "allow")]
    assert [(r.location.line, r.header, r.case_insensitive) for r in found.header_reads] == [(17, "x-api-key", False)]


REFERENCE_LIKE = """\
    import { timingSafeEqual } from "node:crypto";
    import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
    import type { APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult } from "aws-lambda";

    const client = new SecretsManagerClient({});

    function policy(effect: "Allow" | "Deny", resource: string): APIGatewayAuthorizerResult {
      return {
        principalId: "api-key-client",
        policyDocument: {
          Version: "2012-10-17",
          Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
        },
      };
    }

    export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
      const headers = Object.fromEntries(
        Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const presented = headers["x-api-key"];
      if (!presented) {
        return policy("Deny", event.methodArn);
      }
      try {
        const secret = await client.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN! }));
        const expected = Buffer.from(secret.SecretString as string);
        const given = Buffer.from(presented);
        const ok = given.length === expected.length && timingSafeEqual(given, expected);
        console.log(JSON.stringify({ decision: ok, requestId: event.requestContext.requestId }));
        return policy(ok ? "Allow" : "Deny", event.methodArn);
      } catch (error) {
        console.error("authorizer error", (error as Error).name);
        return policy("Deny", event.methodArn);
      }
    };
    """


def test_a_careful_typescript_authorizer_compares_in_constant_time_and_logs_no_secret():
    found = behaviour({"handler.ts": REFERENCE_LIKE})
    assert [(c.location.line, c.how, c.constant_time, c.against) for c in found.comparisons] == [
        (29, "crypto.timingSafeEqual", True, "the secret's value")]
    assert found.logged == ()
    assert [(p.location.line, p.outcome) for p in found.error_paths] == [(32, "deny")]
    assert [(r.location.line, r.case_insensitive, r.how) for r in found.header_reads] == [
        (21, True, 'headers["x-api-key"] on a copy of the headers with lowered names')]
    # one literal, written in the helper, answers allow or deny: both are seen, at the helper's line
    assert {(a.location.line, frozenset(a.keys), a.effect) for a in found.answers} == {
        (8, frozenset({"principalId", "policyDocument"}), "allow"),
        (8, frozenset({"principalId", "policyDocument"}), "deny")}


@pytest.mark.parametrize(("name", "text", "line"), [
    ("handler.js", "exports.handler = async (event) => {\n  return { isAuthorized: false };\n};\n", 1),
    ("handler.js", "module.exports.handler = async function (event) {\n  return { isAuthorized: false };\n};\n", 1),
    ("handler.js", "const handler = async (event) => {\n  return { isAuthorized: false };\n};\n"
                   "module.exports = { handler };\n", 1),
    ("handler.mjs", "export const handler = async (event, context) => {\n  return { isAuthorized: false };\n};\n", 1),
    ("handler.mjs", "export async function handler(event) {\n  return { isAuthorized: false };\n}\n", 1),
    ("handler.mjs", "async function main(event) {\n  return { isAuthorized: false };\n}\nexport { main as handler };\n",
     1),
    ("handler.ts", "type R = { isAuthorized: boolean };\nexport const handler = async (event: unknown): Promise<R> => "
                   "{\n  return { isAuthorized: false } as R;\n};\n", 2),
    ("handler.cjs", "module.exports = {\n  handler: async (event) => ({ isAuthorized: false }),\n};\n", 2),
    ("handler.js", '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\n'
                   "exports.handler = void 0;\nconst handler = async (event) => {\n  return { isAuthorized: false };\n"
                   "};\nexports.handler = handler;\n", 4),
    ("handler.ts", "class Authorizer {\n  answer = { isAuthorized: false };\n  async handle(event: object) {\n"
                   "    return this.answer;\n  }\n}\nconst authorizer = new Authorizer();\n"
                   "export const handler = authorizer.handle.bind(authorizer);\n", 3),
    ("handler.ts", "import answers = require('./answers');\nconst handler = async (event: object) => answers.no;\n"
                   "export = { handler };\n", 2),
])
def test_the_handler_is_found_in_every_way_a_package_exports_it(name, text, line):
    found = behaviour({name: text, "answers.ts": "export const no = { isAuthorized: false };\n"})
    assert found.entry.line == line
    assert [(sorted(a.keys), a.effect) for a in found.answers] == [(["isAuthorized"], "deny")]


CLASSIC_POLICY = """\
    // The generatePolicy helper of the AWS documentation's example, in a module of its own.
    const generatePolicy = (principalId, effect, resource) => {
      const authResponse = {};
      authResponse.principalId = principalId;
      if (effect && resource) {
        const policyDocument = {};
        policyDocument.Version = "2012-10-17";
        policyDocument.Statement = [];
        const statementOne = {};
        statementOne.Action = "execute-api:Invoke";
        statementOne.Effect = effect;
        statementOne.Resource = resource;
        policyDocument.Statement[0] = statementOne;
        authResponse.policyDocument = policyDocument;
      }
      return authResponse;
    };

    module.exports = { generatePolicy };
    """

CALLBACK_HANDLER = """\
    const { generatePolicy } = require("./lib/policy");

    exports.handler = function (event, context, callback) {
      const token = event.authorizationToken;
      switch (token) {
        case "allow":
          callback(null, generatePolicy("user", "Allow", event.methodArn));
          break;
        case "deny":
          callback(null, generatePolicy("user", "Deny", event.methodArn));
          break;
        case "unauthorized":
          callback("Unauthorized");
          break;
        default:
          callback("Error: Invalid token");
      }
    };
    """


def test_the_documented_callback_authorizer_answers_allow_and_deny_through_a_required_helper():
    found = behaviour({"index.js": CALLBACK_HANDLER, "lib/policy.js": CLASSIC_POLICY}, handler="index.handler")
    assert found.reads_token
    assert sorted({(a.location.file, a.location.line, frozenset(a.keys), a.effect) for a in found.answers}) == [
        ("src/lib/policy.js", 3, frozenset({"principalId", "policyDocument"}), "allow"),
        ("src/lib/policy.js", 3, frozenset({"principalId", "policyDocument"}), "deny")]
    # `switch (token)` compares the token with each case's literal
    assert [(c.location.line, c.how, c.literal) for c in found.comparisons] == [
        (6, "===", "allow"), (9, "===", "deny"), (12, "===", "unauthorized")]


def test_an_es_module_import_of_the_package_is_followed_with_its_arguments_bound():
    policy = """\
        export function generatePolicy(principalId, effect, resource) {
          return {
            principalId,
            policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect,
                                                                  Resource: resource }] },
          };
        }
        """
    handler = """\
        import { generatePolicy as make } from "./policy.js";
        export const handler = async (event) => {
          if (event.headers["x-api-key"] === process.env.API_KEY) {
            return make("me", "Allow", event.methodArn);
          }
          return make("me", "Deny", event.methodArn);
        };
        """
    found = behaviour({"handler.mjs": handler, "policy.ts": policy})
    assert shapes(found) == [(2, ["policyDocument", "principalId"], "allow"),
                             (2, ["policyDocument", "principalId"], "deny")]
    assert found.answers[0].location.file == "src/policy.ts"
    [comparison] = found.comparisons
    assert (comparison.how, comparison.env, comparison.against, comparison.both_may_be_none) == (
        "===", "API_KEY", "process.env.API_KEY", True)


def test_a_callback_error_in_a_catch_is_an_error_api_gateway_answers_and_a_success_in_it_is_an_answer():
    handler = """\
        exports.handler = function (event, context, callback) {
          let claims;
          try {
            claims = JSON.parse(event.headers["x-claims"]);
          } catch (e) {
            return callback(new Error("failed"));
          }
          try {
            if (event.headers["x-api-key"] !== process.env.KEY) {
              return callback("Unauthorized");
            }
          } catch (e) {
            callback(null, { principalId: "me", policyDocument: { Statement: [{ Effect: "Allow" }] } });
            return;
          }
          callback(null, { principalId: claims.sub, policyDocument: { Statement: [{ Effect: "Deny" }] } });
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(p.location.line, p.outcome) for p in found.error_paths] == [(5, "raise"), (12, "allow")]
    assert [(a.location.line, a.effect) for a in found.answers] == [(13, "allow"), (16, "deny")]


def test_an_answer_built_elsewhere_is_opaque_with_the_reason():
    handler = """\
        const { buildPolicy } = require("@acme/auth");
        exports.handler = async (event) => {
          return buildPolicy(event);
        };
        """
    [answer] = behaviour({"handler.js": handler}).answers
    assert answer.keys is None and answer.effect is None and "buildPolicy" in answer.why


@pytest.mark.parametrize(("test", "how", "constant_time", "literal"), [
    ('key === "s3cr3t-value"', "===", False, "s3cr3t-value"),
    ('key == "s3cr3t-value"', "==", False, "s3cr3t-value"),
    ('key !== "s3cr3t-value"', "!==", False, "s3cr3t-value"),
    ('"s3cr3t-value" != key', "!=", False, "s3cr3t-value"),
    ('["k1", "k2"].includes(key)', "includes", False, "k1"),
    ('key.startsWith("k1")', "startsWith", False, "k1"),
    ('KEYS[key]', "a dict lookup", False, "k1"),
    ('key in KEYS', "a dict lookup", False, "k1"),
    ('new Map([["k1", "a"]]).get(key)', "a dict lookup", False, None),
    ('crypto.timingSafeEqual(Buffer.from(key), Buffer.from("k1"))', "crypto.timingSafeEqual", True, "k1"),
    ('require("crypto").timingSafeEqual(Buffer.from(key), Buffer.from("k1"))', "crypto.timingSafeEqual", True,
     "k1"),
    ('eq(Buffer.from(key), Buffer.from("k1"))', "crypto.timingSafeEqual", True, "k1"),
])
def test_every_way_of_comparing_the_key_is_seen_with_what_it_is_compared_with(test, how, constant_time, literal):
    handler = f"""\
        const crypto = require("crypto");
        const {{ timingSafeEqual: eq }} = require("node:crypto");
        const KEYS = {{ k1: "client one" }};
        exports.handler = async (event) => {{
          const key = event.headers["x-api-key"];
          if ({test}) {{
            return {{ isAuthorized: true }};
          }}
          return {{ isAuthorized: false }};
        }};
        """
    found = behaviour({"handler.js": handler})
    [comparison] = found.comparisons
    assert (comparison.location.line, comparison.how, comparison.constant_time, comparison.literal) == (
        6, how, constant_time, literal)


@pytest.mark.parametrize(("reading", "both_none", "against"), [
    ("process.env.API_KEY", True, "process.env.API_KEY"),
    ('process.env["API_KEY"]', True, "process.env.API_KEY"),
    ("(() => { const { API_KEY } = process.env; return API_KEY; })()", True, "process.env.API_KEY"),
    ('process.env.API_KEY ?? ""', False, "process.env.API_KEY"),
    # the fallback is a key written in the code, used where the variable is not set
    ('process.env.API_KEY || "dev-key"', False, "a literal"),
])
def test_a_key_from_the_environment_is_named_and_an_unset_one_is_seen_to_match_a_missing_header(
        reading, both_none, against):
    handler = f"""\
        exports.handler = async (event) => {{
          const expected = {reading};
          return {{ isAuthorized: event.headers["x-api-key"] === expected }};
        }};
        """
    [comparison] = behaviour({"handler.js": handler}).comparisons
    assert (comparison.env, comparison.both_may_be_none, comparison.against) == ("API_KEY", both_none, against)


@pytest.mark.parametrize("reading", [
    'await new AWS.SecretsManager().getSecretValue({ SecretId: "k" }).promise()',
    'await sm.send(new GetSecretValueCommand({ SecretId: "k" }))',
    'await ssm.send(new GetParameterCommand({ Name: "k", WithDecryption: true }))',
    'await new AWS.SSM().getParameter({ Name: "k", WithDecryption: true }).promise()',
    'await getSecret("k")',
])
def test_a_secret_read_through_either_sdk_is_the_secret_compared_and_logged(reading):
    handler = f"""\
        const AWS = require("aws-sdk");
        const {{ SecretsManagerClient, GetSecretValueCommand }} = require("@aws-sdk/client-secrets-manager");
        const {{ SSMClient, GetParameterCommand }} = require("@aws-sdk/client-ssm");
        const {{ getSecret }} = require("@aws-lambda-powertools/parameters/secrets");
        const sm = new SecretsManagerClient({{}});
        const ssm = new SSMClient({{}});
        exports.handler = async (event) => {{
          const read = {reading};
          const expected = read.SecretString ?? read.Parameter?.Value ?? read;
          console.info("key is", expected);
          return {{ isAuthorized: event.headers["x-api-key"] === expected }};
        }};
        """
    found = behaviour({"handler.js": handler})
    assert [(c.location.line, c.against) for c in found.comparisons] == [(11, "the secret's value")]
    assert [(f.location.line, f.what, f.sink) for f in found.logged] == [(10, "the secret's value", "console.info")]


@pytest.mark.parametrize(("logging", "what", "sink"), [
    ("console.log(event);", "the event", "console.log"),
    ("console.debug(`headers: ${JSON.stringify(event.headers)}`);", "the request's headers", "console.debug"),
    ('console.warn("key " + event.headers["x-api-key"]);', "the presented key", "console.warn"),
    ("log.info({ event }, 'received');", "the event", "logger.info"),
    ("winstonLogger.error(JSON.stringify(event));", "the event", "logger.error"),
    ("powertools.info('received', { headers: event.headers });", "the request's headers", "logger.info"),
    ("shared.warn(event);", "the event", "logger.warn"),
    ("process.stdout.write(JSON.stringify(event) + '\\n');", "the event", "process.stdout.write"),
])
def test_the_event_headers_or_key_reaching_a_log_are_seen_whatever_the_logger(logging, what, sink):
    handler = f"""\
        const log = require("pino")();
        const winston = require("winston");
        const {{ Logger }} = require("@aws-lambda-powertools/logger");
        const shared = require("./logger");
        const winstonLogger = winston.createLogger({{ level: "info" }});
        const powertools = new Logger({{ serviceName: "auth" }});
        exports.handler = async (event) => {{
          {logging}
          return {{ isAuthorized: false }};
        }};
        """
    found = behaviour({"handler.js": handler, "logger.js": "const pino = require('pino');\nmodule.exports = pino();\n"})
    assert [(f.location.line, f.what, f.sink) for f in found.logged] == [(8, what, sink)]


def test_the_request_id_and_an_error_name_are_not_secrets():
    handler = """\
        exports.handler = async (event) => {
          console.log("request", event.requestContext.requestId, event.methodArn);
          try {
            return { isAuthorized: false };
          } catch (error) {
            console.error(error.message);
            return { isAuthorized: false };
          }
        };
        """
    assert behaviour({"handler.js": handler}).logged == ()


@pytest.mark.parametrize(("reading", "case_insensitive", "line"), [
    ('event.headers["x-api-key"]', False, 2),
    ('event.headers?.["X-Api-Key"]', False, 2),
    ("event.headers['x-api-key'] || event.headers['X-API-KEY']", False, 2),
    ("Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v]))['x-api-key']",
     True, 2),
    ("event.headers[Object.keys(event.headers).find((k) => k.toLowerCase() === 'x-api-key')]", True, 2),
    ("Object.keys(event.headers).reduce((all, k) => { all[k.toLowerCase()] = event.headers[k]; return all; }, "
     "{})['x-api-key']", True, 2),
    ("(() => { for (const [name, value] of Object.entries(event.headers)) {\n"
     "  if (name.toLowerCase() === 'x-api-key') return value; } })()", True, 3),
])
def test_the_key_header_read_is_seen_and_whether_its_name_is_matched_in_any_case(reading, case_insensitive, line):
    handler = f"""\
        exports.handler = async (event) => {{
          const key = {reading};
          return {{ isAuthorized: key === process.env.KEY }};
        }};
        """
    found = behaviour({"handler.js": handler})
    assert {(r.location.line, r.case_insensitive) for r in found.header_reads} >= {(line, case_insensitive)}
    assert all(r.case_insensitive == case_insensitive for r in found.header_reads)
    assert [c.against for c in found.comparisons] == ["process.env.KEY"]


def test_a_token_authorizer_reads_the_token_and_an_identity_source_is_the_key():
    handler = """\
        exports.handler = async (event) => {
          const presented = event.authorizationToken ?? event.identitySource?.[0];
          return { isAuthorized: presented === "literal-key" };
        };
        """
    found = behaviour({"handler.js": handler})
    assert found.reads_token and found.header_reads == ()
    assert [(c.how, c.literal) for c in found.comparisons] == [("===", "literal-key")]


def test_error_paths_answer_as_their_catch_says_and_a_finally_does_not_hide_them():
    handler = """\
        const { check } = require("./check");
        exports.handler = async (event) => {
          try {
            await check(event);
          } catch (error) {
            throw error;
          }
          try {
            await check(event);
          } catch {
            return { isAuthorized: false };
          } finally {
            console.log("checked");
          }
          try {
            await check(event);
            return { isAuthorized: false };
          } catch (error) {
            return { isAuthorized: error.retryable };
          }
        };
        """
    check = "exports.check = async (event) => {\n  if (!event) throw new Error('no event');\n};\n"
    found = behaviour({"handler.js": handler, "check.js": check})
    assert [(p.location.line, p.outcome) for p in found.error_paths] == [(5, "raise"), (10, "deny"),
                                                                          (18, "unknown")]


def test_the_presented_key_passed_to_another_package_is_an_escape():
    handler = """\
        const jwt = require("jsonwebtoken");
        exports.handler = async (event) => {
          const claims = jwt.verify(event.authorizationToken, process.env.PUBLIC_KEY);
          return { isAuthorized: Boolean(claims) };
        };
        """
    [escape] = behaviour({"handler.js": handler}).escapes
    assert (escape.location.line, escape.what, escape.into) == (3, "the presented key", "jwt.verify()")


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_code_that_does_not_parse_is_unknown_naming_the_first_error():
    found = analyse(code({"handler.js": "exports.handler = async (event) => {\n  return {;\n};\n"}), "x-api-key")
    assert isinstance(found, Unknown) and found.reason.startswith("src/handler.js:2 is not valid JavaScript")
    found = analyse(code({"handler.ts": "export const handler = (e: ) => 1;\n"}), "x-api-key")
    assert isinstance(found, Unknown) and found.reason.startswith("src/handler.ts:1 is not valid TypeScript")


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_a_module_the_handler_requires_that_does_not_parse_is_unknown_too():
    found = analyse(code({"handler.js": "const p = require('./p');\nexports.handler = async () => p.x;\n",
                          "p.js": "module.exports = {\n\n  x: (,\n};\n"}), "x-api-key")
    assert isinstance(found, Unknown) and found.reason.startswith("src/p.js:3 is not valid JavaScript")


def test_a_missing_handler_file_or_function_is_unknown():
    found = analyse(code({"other.js": "exports.handler = () => 1;\n"}), "x-api-key")
    assert isinstance(found, Unknown) and "no handler.js" in found.reason
    found = analyse(code({"handler.js": "exports.main = () => 1;\n"}), "x-api-key")
    assert isinstance(found, Unknown) and "exports no function handler" in found.reason


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_hostile_code_is_unknown_never_a_crash():
    deep = "exports.handler = async (event) => " + "[" * 3000 + "]" * 3000 + ";\n"
    found = analyse(code({"handler.js": deep}), "x-api-key")
    assert isinstance(found, Unknown) and "nested too deeply" in found.reason
    looping = "exports.handler = async (event) => {\n" + "  console.log(event.a, event.b);\n" * 20_000 + "};\n"
    found = analyse(code({"handler.js": looping}), "x-api-key")
    assert isinstance(found, Unknown) and "more than" in found.reason and "steps" in found.reason


def test_without_tree_sitter_node_code_is_unknown_saying_so(monkeypatch):
    monkeypatch.setattr(node_code, "tree_sitter", None)
    found = analyse(code({"handler.js": "exports.handler = async () => ({ isAuthorized: false });\n"}), "x-api-key")
    assert isinstance(found, Unknown) and "tree-sitter" in found.reason


def test_the_code_rules_question_reads_a_nodejs_function_beside_its_terraform(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('resource "aws_lambda_function" "auth" {\n  function_name = "auth"\n'
                                      '  role = "arn:aws:iam::123456789012:role/r"\n  runtime = "nodejs20.x"\n'
                                      '  handler = "index.handler"\n  filename = "auth.zip"\n}\n')
    (tmp_path / "index.ts").write_text(REFERENCE_LIKE.replace("\n    ", "\n").removeprefix("    "))
    stack, errors = load([tmp_path], repository=tmp_path, use_cache=False)
    assert errors == []
    [function] = stack.resources("aws_lambda_function")
    found = authorizer_code.behaviour(function, "X-Api-Key")
    assert isinstance(found, CodeBehaviour), found
    assert [(c.location.file, c.location.line, c.constant_time) for c in found.comparisons] == [("index.ts", 29, True)]


def test_a_policy_grown_by_push_in_a_helper_declared_after_the_handler_has_its_effect():
    handler = """\
        exports.handler = (event, context, callback) => {
          if (event.authorizationToken === process.env.TOKEN) {
            callback(null, { principalId: "me", policyDocument: genPolicy("allow", event.methodArn) });
          } else {
            callback("Unauthorized");
          }
        };

        var genPolicy = function (effect, resource) {
          const policy = { Version: "2012-10-17", Statement: [] };
          const statement = {};
          statement.Action = "execute-api:Invoke";
          statement.Effect = effect;
          statement.Resource = resource;
          policy.Statement.push(statement);
          return policy;
        };
        """
    found = behaviour({"handler.js": handler})
    assert shapes(found) == [(3, ["policyDocument", "principalId"], "allow")]
    assert [(c.location.line, c.env) for c in found.comparisons] == [(2, "TOKEN")]


def test_a_class_with_fields_a_constructor_and_a_static_helper_is_followed():
    handler = """\
        import { timingSafeEqual } from "crypto";

        class KeyChecker {
          private expected = process.env.API_KEY ?? "";
          constructor(private readonly header: string) {
            this.header = header;
          }
          matches(event: { headers: Record<string, string> }): boolean {
            const given = event.headers[this.header];
            return timingSafeEqual(Buffer.from(given), Buffer.from(this.expected));
          }
          static policy(effect: string, arn: string) {
            return { principalId: "client", policyDocument: { Statement: [{ Effect: effect, Resource: arn }] } };
          }
        }

        export const handler = async (event) => {
          const checker = new KeyChecker("x-api-key");
          return KeyChecker.policy(checker.matches(event) ? "Allow" : "Deny", event.methodArn);
        };
        """
    found = behaviour({"handler.ts": handler})
    assert shapes(found) == [(13, ["policyDocument", "principalId"], "allow"),
                             (13, ["policyDocument", "principalId"], "deny")]
    assert [(c.location.line, c.how, c.env) for c in found.comparisons] == [(10, "crypto.timingSafeEqual", "API_KEY")]
    assert [(r.location.line, r.header) for r in found.header_reads] == [(9, "x-api-key")]


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_properties_written_on_many_branches_do_not_multiply_the_answers():
    writes = "\n".join(f"  if (event.headers.h{i}) {{ response.context.f{i} = 1; }}" for i in range(40))
    handler = ("exports.handler = async (event) => {\n  const response = { isAuthorized: false, context: {} };\n"
               f"{writes}\n  return response;\n}};\n")
    found = behaviour({"handler.js": handler})
    assert [(a.location.line, sorted(a.keys), a.effect) for a in found.answers] == [
        (2, ["context", "isAuthorized"], "deny")]


def test_a_handler_wrapped_by_middy_is_read_and_an_unreadable_wrapper_says_what_it_is():
    handler = """\
        import middy from "@middy/core";
        import httpHeaderNormalizer from "@middy/http-header-normalizer";
        const base = async (event) => ({ isAuthorized: event.headers["x-api-key"] === process.env.KEY });
        export const handler = middy(base).use(httpHeaderNormalizer());
        """
    found = behaviour({"handler.mjs": handler})
    assert [(a.location.line, a.effect) for a in found.answers] == [(3, None)]
    assert [(r.location.line, r.case_insensitive) for r in found.header_reads] == [(3, True)]
    found = analyse(code({"handler.js": "exports.handler = require('@acme/auth').authorizer({ header: 'x' });\n"}),
                    "x-api-key")
    assert isinstance(found, Unknown) and "exports handler as the value returned by" in found.reason


def test_context_succeed_and_fail_answer_as_callback_does():
    handler = """\
        exports.handler = function (event, context) {
          if (event.authorizationToken !== process.env.TOKEN) {
            context.fail("Unauthorized");
            return;
          }
          context.succeed({ principalId: "me", policyDocument: { Statement: [{ Effect: "Allow" }] } });
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(a.location.line, a.effect) for a in found.answers] == [(6, "allow")]


def test_a_rejected_promise_is_an_error_not_an_answer():
    handler = """\
        exports.handler = (event) => {
          if (event.headers["x-api-key"] !== process.env.KEY) {
            return Promise.reject(new Error("Unauthorized"));
          }
          return Promise.resolve({ isAuthorized: true });
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(a.location.line, a.effect) for a in found.answers] == [(5, "allow")]


def test_a_header_named_by_the_environment_is_taken_for_the_key():
    handler = """\
        const headerName = process.env.HEADER_NAME;
        exports.handler = function (event, context, callback) {
          if (event.headers[headerName] === process.env.HEADER_VALUE) {
            callback(null, { principalId: "api", policyDocument: { Statement: [{ Effect: "Allow" }] } });
          } else {
            callback("Unauthorized");
          }
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(c.location.line, c.env, c.both_may_be_none) for c in found.comparisons] == [(3, "HEADER_VALUE", True)]
    assert found.header_reads == ()


def test_an_error_thrown_with_the_key_in_its_message_and_logged_in_a_catch_is_the_key_logged():
    check = """\
        exports.check = (key) => {
          if (!/^[a-z0-9]{40}$/.test(key)) {
            throw new Error(`malformed key ${key}`);
          }
        };
        """
    handler = """\
        const { check } = require("./check");
        exports.handler = async (event) => {
          try {
            check(event.headers["x-api-key"]);
          } catch (error) {
            console.warn(error.message);
            return { isAuthorized: false };
          }
          return { isAuthorized: false };
        };
        """
    found = behaviour({"handler.js": handler, "check.js": check})
    assert [(f.location.line, f.what) for f in found.logged] == [(6, "the presented key")]


def test_a_callback_filling_an_object_declared_around_it_is_seen():
    handler = """\
        exports.handler = async (event) => {
          const headers = {};
          Object.keys(event.headers).forEach((name) => {
            headers[name.toLowerCase()] = event.headers[name];
          });
          let presented;
          ["x-api-key"].forEach((name) => { presented = headers[name]; });
          return { isAuthorized: presented === process.env.KEY };
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(r.location.line, r.case_insensitive) for r in found.header_reads] == [(7, True)]
    assert [(c.location.line, c.env) for c in found.comparisons] == [(8, "KEY")]


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_objects_that_grow_with_every_write_are_read_in_bounded_time():
    tokens = "\n".join(f"createToken('T{i}', '{i}');" for i in range(40))
    doubling = "\n".join("  state.left = state; state.right = state;" for _ in range(30))
    handler = (f"const t = {{}};\nconst createToken = (name, value) => {{ t[name] = value; }};\n{tokens}\n"
               "exports.handler = async (event) => {\n  const state = { isAuthorized: false };\n"
               f"{doubling}\n  check(state);\n  return {{ isAuthorized: t.T3 === event.headers['x-api-key'] }};\n}};\n"
               "const check = (state) => state.isAuthorized;\n")
    found = behaviour({"handler.js": handler})
    assert [(c.how, c.literal) for c in found.comparisons] == [("===", "3")]


def test_buffers_compared_in_constant_time_are_never_two_missing_values():
    handler = """\
        const crypto = require("crypto");
        exports.handler = async (event) => {
          const given = Buffer.from(event.headers["x-api-key"]);
          const expected = Buffer.from(process.env.API_KEY);
          return { isAuthorized: crypto.timingSafeEqual(given, expected) };
        };
        """
    [comparison] = behaviour({"handler.js": handler}).comparisons
    assert (comparison.env, comparison.constant_time, comparison.both_may_be_none) == ("API_KEY", True, False)


def test_a_property_of_the_secret_trimmed_is_still_the_secret():
    handler = """\
        const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
        const client = new SecretsManagerClient({});
        exports.handler = async (event) => {
          const secret = JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: "k" }))).SecretString);
          const presented = event.headers["x-api-key"] || "";
          return { isAuthorized: presented.trim() === secret.API_KEY.trim() };
        };
        """
    [comparison] = behaviour({"handler.js": handler}).comparisons
    assert (comparison.location.line, comparison.against) == (6, "the secret's value")


def test_headers_get_is_no_header_read_lambda_events_have_no_such_method():
    handler = """\
        exports.handler = async (event) => {
          return { isAuthorized: event.headers.get("x-api-key") === process.env.KEY };
        };
        """
    found = behaviour({"handler.js": handler})
    assert (found.header_reads, found.comparisons) == ((), ())


def test_a_promise_chain_answers_what_then_returns_and_catch_is_an_error_path():
    handler = """\
        const AWS = require("aws-sdk");
        const sm = new AWS.SecretsManager();
        exports.handler = (event) => sm.getSecretValue({ SecretId: "k" }).promise()
          .then((data) => ({ isAuthorized: event.headers["x-api-key"] === data.SecretString }))
          .catch((error) => {
            console.error(error);
            return { isAuthorized: true };
          });
        """
    found = behaviour({"handler.js": handler})
    assert [(a.location.line, a.effect, bool(a.on_error)) for a in found.answers] == [
        (4, None, False), (7, "allow", True)]
    assert [(p.location.line, p.catches, p.outcome) for p in found.error_paths] == [
        (5, "every error (.catch)", "allow")]
    assert [(c.location.line, c.against) for c in found.comparisons] == [(4, "the secret's value")]


def test_the_code_after_a_try_goes_on_from_each_way_out_of_it():
    handler = """\
        const { check } = require("./check");
        exports.handler = async (event) => {
          let allowed;
          try {
            allowed = await check(event.headers["x-api-key"]);
          } catch (error) {
            allowed = false;
          }
          return { isAuthorized: allowed };
        };
        """
    found = behaviour({"handler.js": handler, "check.js": "exports.check = async (key) => key.length > 0;\n"})
    assert [(p.location.line, p.outcome) for p in found.error_paths] == [(6, "deny")]


def test_the_configured_header_is_the_key_and_other_headers_are_not():
    handler = """\
        exports.handler = async (event) => {
          console.log(event.headers["user-agent"]);
          console.log(event.headers["X-Fitness-Key"]);
          return { isAuthorized: false };
        };
        """
    found = behaviour({"handler.js": handler}, header="X-Fitness-Key")
    assert [(f.location.line, f.what) for f in found.logged] == [(3, "the presented key")]
    assert [(r.header, r.case_insensitive) for r in found.header_reads] == [("X-Fitness-Key", False)]


def test_recursion_ends():
    handler = """\
        const ping = (event) => pong(event);
        function pong(event) { return ping(event); }
        exports.handler = async (event) => ping(event);
        """
    assert [a.keys for a in behaviour({"handler.js": handler}).answers] == [None]


@pytest.mark.hostile  # the scanned tree as an attacker writes it
def test_a_null_byte_is_unknown():
    found = analyse(code({"handler.js": "exports.handler = async () => 1;\x00\n"}), "x-api-key")
    assert isinstance(found, Unknown) and "is not valid JavaScript" in found.reason


def test_a_policy_object_of_a_constructor_function_and_its_prototype_is_followed():
    handler = """\
        function Policy(principal, resource) {
          this.principalId = principal;
          this.resource = resource;
          this.statements = [];
        }
        Policy.prototype = {
          allow: function () { addStatement.call(this, "Allow"); },
          deny: function () { addStatement.apply(this, ["Deny"]); },
          build: function () {
            return { principalId: this.principalId, policyDocument: { Statement: this.statements } };
          },
        };
        function addStatement(effect) {
          this.statements.push({ Effect: effect, Action: "execute-api:Invoke", Resource: this.resource });
        }
        exports.handler = function (event, context, callback) {
          const policy = new Policy("me", event.methodArn);
          if (event.authorizationToken === process.env.TOKEN) {
            policy.allow();
          } else {
            policy.deny();
          }
          callback(null, policy.build());
        };
        """
    found = behaviour({"handler.js": handler})
    assert [(a.location.line, sorted(a.keys), a.effect) for a in found.answers] == [
        (10, ["policyDocument", "principalId"], "allow"), (10, ["policyDocument", "principalId"], "deny")]


def test_powertools_middleware_that_logs_the_event_logs_the_key():
    handler = """\
        import { Logger, injectLambdaContext } from "@aws-lambda-powertools/logger";
        import middy from "@middy/core";
        const logger = new Logger();
        const base = async (event) => ({ isAuthorized: false });
        export const handler = middy(base)
          .use(injectLambdaContext(logger, { logEvent: true }));
        """
    found = behaviour({"handler.mjs": handler})
    assert [(f.location.line, f.what) for f in found.logged] == [(6, "the event")]


def test_a_typescript_enum_passes_its_constants():
    handler = """\
        enum Effect { Allow = "Allow", Deny = "Deny" }
        const policy = (effect: Effect) => ({ principalId: "me", policyDocument: { Statement: [{ Effect: effect }] } });
        export const handler = async (event: { authorizationToken: string }) =>
          policy(event.authorizationToken === process.env.TOKEN ? Effect.Allow : Effect.Deny);
        """
    assert [(a.location.line, a.effect) for a in behaviour({"handler.ts": handler}).answers] == [
        (2, "allow"), (2, "deny")]


def test_code_written_in_a_tf_file_sits_at_the_tf_files_lines():
    # an archive_file's `source { content = <<-EOT ... }`: the handler's first line is line 7 of main.tf
    text = "exports.handler = async (event) => {\n  console.log(event);\n  return { isAuthorized: false };\n};\n"
    found = analyse(FunctionCode("node", "handler.handler", (SourceFile("handler.js", "main.tf", text, 7),), "x"),
                    "x-api-key")
    assert [(f.location.file, f.location.line) for f in found.logged] == [("main.tf", 8)]
    broken = SourceFile("handler.js", "main.tf", "exports.handler = (\n", 7)
    found = analyse(FunctionCode("node", "handler.handler", (broken,), "x"), "x-api-key")
    assert isinstance(found, Unknown) and found.reason.startswith("main.tf:7 is not valid JavaScript")
