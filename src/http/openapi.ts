/**
 * The OpenAPI 3.1 document of the API, generated from the route declarations and their zod
 * schemas — the same schemas the app checks requests with — so it cannot drift from what the
 * service accepts.
 */
import { z } from "zod";
import type { Access } from "./access.js";
import type { FieldsSchema, Route } from "./route.js";
import { errorBody } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest;
}

function parameters(schema: FieldsSchema | undefined, location: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === "path" || !field.safeParse(undefined).success,
    schema: jsonSchema(field, "input"),
  }));
}

const SECURITY: Record<Access, JsonSchema[]> = {
  open: [],
  secret: [{ secretKey: [] }],
  completion: [{ secretKey: [] }, { publicAccessToken: [] }],
  callback: [],
};

const ERRORS: Record<string, string> = {
  "400": "The body is not JSON, or the request is not of the route's shape (`details` lists the issues)",
  "401": "No credential, or one that is wrong, tampered with or expired",
  "403": "A public access token used beyond its one waitpoint token",
  "404": "No such run, token, queue or task",
  "409": "The run has ended, or its input stream is full",
  "413": "The body is over the limit",
  "503": "Redis does not answer",
};

function operation(route: Route): JsonSchema {
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
  return {
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/\/api\/v1/, "").replace(/[/:]+(\w)/g, (_match, letter: string) => letter.toUpperCase())}`,
    tags: [route.tag],
    security: SECURITY[route.access],
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: jsonSchema(route.response, "output") } } },
      ...Object.fromEntries(Object.entries(ERRORS).map(([status, description]) => [status, { description, content: errorContent }])),
    },
  };
}

/** The OpenAPI document of `routes`. */
export function openApiDocument(routes: Route[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    info: { title: "durabull", version: "1", description: "Waitpoint tokens, runs, tasks and queues of a durabull deployment." },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, "output") },
      securitySchemes: {
        secretKey: { type: "http", scheme: "bearer", description: "The service's secret key (DURABULL_SECRET_KEY)." },
        publicAccessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A token's `publicAccessToken`: completes that one token." },
      },
    },
  };
}
