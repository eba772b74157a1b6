import { buildCertificateExport } from "~/certificates/exports.server.ts";
import { notifyCertificateIssued, sweepNotices } from "~/certificates/notices.server.ts";
import { sweepAssignmentNotices } from "~/organisers/assignment-notices.server.ts";
import { applyAllTrainingRules } from "~/organisers/training-rules.server.ts";
import { eraseDueAccounts } from "~/privacy/account.server.ts";
import { runRetention } from "~/privacy/retention.server.ts";
import { type Clock, systemClock } from "~/utils/clock.server.ts";
import type { JobHandlers } from "./queue.server.ts";

/** What each job does. Data carries ids only; handlers read current state and may safely run twice. */
export function jobHandlers(clock: Clock = systemClock): JobHandlers {
  return {
    "certificate-issued": async (data) => {
      await notifyCertificateIssued({ enrolmentId: String(data.enrolmentId), clock });
    },
    "notification-sweep": async () => {
      // Accounts whose deletion grace period ended are erased on the same schedule.
      const { erased } = await eraseDueAccounts({ clock });
      if (erased) console.log(`[jobs] erased ${erased} deleted accounts`);
      const result = await sweepNotices({ clock });
      const assignments = await sweepAssignmentNotices({ clock });
      if (assignments.assigned + assignments.dueSoon + assignments.overdue + assignments.digests) console.log(`[jobs] assignment notices: ${JSON.stringify(assignments)}`);
      if (result.issued.sent || result.expiry.sent || result.expiry.failed) console.log(`[jobs] notices: ${result.issued.sent} issued, ${result.expiry.sent} expiry reminders sent, ${result.expiry.failed} failed`);
    },
    "certificate-export": async (data) => {
      await buildCertificateExport({ exportId: String(data.exportId), clock });
    },
    retention: async () => {
      await runRetention({ clock });
    },
    "training-rules": async () => {
      const result = await applyAllTrainingRules({ clock });
      if (result.assigned) console.log(`[jobs] training rules assigned ${result.assigned} (${result.renewals} renewals)`);
    },
  };
}
