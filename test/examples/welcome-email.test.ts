import { describe, expect, it } from "vitest";
import { createWorker, TaskPayloadError } from "../../src/index.js";
import { welcomeSequence } from "../../examples/welcome-email.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

useDurabull();

describe("example: welcome sequence", () => {
  it("sends the welcome email, parks, then sends the tips email", async () => {
    const worker = await createWorker({ tasks: [welcomeSequence] });
    try {
      const { id } = await welcomeSequence.trigger({ email: "ada@example.com", tipsAfterSeconds: 0.5 });
      await waitForStatus(id, "WAITING");
      const done = await waitForStatus(id, "COMPLETED");
      expect(done.output).toMatchObject({ welcome: expect.stringMatching(/^welcome-ada@example.com-/), tips: expect.stringMatching(/^tips-/) });
    } finally {
      await worker.close();
    }
  });

  it("refuses an address that is not one", async () => {
    await expect(welcomeSequence.trigger({ email: "not-an-address" })).rejects.toBeInstanceOf(TaskPayloadError);
  });
});
