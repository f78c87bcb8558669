// Probot beside `hephaestus serve` in the ingest bench (run.py starts it: one Node process).
// Probot verifies X-Hub-Signature-256, parses the body, runs the app's handlers and answers 200
// once they have finished. With BENCH_JOURNAL set, the handler first appends the delivery to that
// file (one write(2) per delivery, as a JSON line), so the 200 means what serve's 202 means: the
// delivery is in the kernel and survives the process being killed. Without it, the handler does
// nothing and a delivery lost in a crash is gone.
import { writeSync, openSync } from "node:fs";
import { run } from "probot";

const journal = process.env.BENCH_JOURNAL ? openSync(process.env.BENCH_JOURNAL, "a") : null;

await run((app) => {
  app.on("pull_request.opened", async (context) => {
    if (journal !== null) {
      writeSync(journal, JSON.stringify({ id: context.id, name: context.name, payload: context.payload }) + "\n");
    }
  });
});
