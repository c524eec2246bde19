/**
 * A route of the API, declared once: its method and path, who may call it, the zod schemas of
 * its path parameters, query and body, the shape of its answer, and its handler. The app checks
 * requests against the schemas before the handler runs, and the OpenAPI document is generated
 * from the same declarations.
 */
import type { z } from "zod";
import type { Access } from "./access.js";

/** The schema of path parameters or a query: an object of named fields. */
export type FieldsSchema = z.ZodObject<Record<string, z.ZodType>>;

/** What a handler is given: the request's parameters, query and body, checked. */
export interface RouteInput<TParams, TQuery, TBody> {
  params: TParams;
  query: TQuery;
  body: TBody;
}

/** A route of the API. */
export interface Route<TParams = unknown, TQuery = unknown, TBody = unknown> {
  method: "get" | "post";
  /** Hono's path syntax: `/api/v1/runs/:id`. */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Groups routes in the OpenAPI document. */
  tag: "tokens" | "runs" | "tasks" | "queues" | "service";
  access: Access;
  params?: FieldsSchema;
  query?: FieldsSchema;
  /** The body's schema; a route without one takes no body. */
  body?: z.ZodType<TBody>;
  /** The answer's shape (200), for the OpenAPI document and the tests. */
  response: z.ZodType;
  handle(input: RouteInput<TParams, TQuery, TBody>): Promise<unknown>;
}

/** Declares a route, inferring the handler's input types from its schemas. */
export function defineRoute<TParams extends FieldsSchema, TQuery extends FieldsSchema, TBody extends z.ZodType>(
  route: Omit<Route, "params" | "query" | "body" | "handle"> & {
    params?: TParams;
    query?: TQuery;
    body?: TBody;
    handle(input: RouteInput<z.output<TParams>, z.output<TQuery>, z.output<TBody>>): Promise<unknown>;
  },
): Route {
  return route as Route;
}
