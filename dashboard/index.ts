/**
 * The `durabull/dashboard` entry: Bull Board for durabull's queues, as a mountable Hono app.
 */
export { createDashboard } from "./create-dashboard.js";
export type { DashboardOptions } from "./create-dashboard.js";
