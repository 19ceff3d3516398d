// SQL for assessments and the human review outcomes recorded against them. Reviews are kept apart from
// the model's output: they are the labels the next model version is trained on.
import { type Database } from '../../platform/sqlite.ts';

export const migrations: readonly string[] = [
  `CREATE TABLE assessments (
     assessment_id  TEXT PRIMARY KEY,
     order_id       TEXT NOT NULL UNIQUE,
     customer_id    TEXT NOT NULL,
     amount_cents   INTEGER NOT NULL,
     item_count     INTEGER NOT NULL,
     country        TEXT NOT NULL,
     payment_method TEXT NOT NULL,
     score          REAL NOT NULL,
     decision       TEXT NOT NULL CHECK (decision IN ('approve', 'review', 'reject')),
     reasons        TEXT NOT NULL,
     model_version  TEXT NOT NULL,
     inference_ms   REAL NOT NULL,
     assessed_at    TEXT NOT NULL
   ) STRICT;
   CREATE TABLE reviews (
     order_id    TEXT PRIMARY KEY REFERENCES assessments (order_id),
     decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
     reviewer    TEXT NOT NULL,
     reviewed_at TEXT NOT NULL
   ) STRICT;`,
];

export type Decision = 'approve' | 'review' | 'reject';
export type ReviewDecision = 'approve' | 'reject';

export interface Review {
  readonly decision: ReviewDecision;
  readonly reviewer: string;
  readonly reviewedAt: string;
}

export interface Assessment {
  readonly assessmentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly itemCount: number;
  readonly country: string;
  readonly paymentMethod: string;
  readonly score: number;
  readonly decision: Decision;
  readonly reasons: readonly string[];
  readonly modelVersion: string;
  readonly inferenceMs: number;
  readonly assessedAt: string;
  readonly review: Review | null;
}

interface Row {
  assessment_id: string;
  order_id: string;
  customer_id: string;
  amount_cents: number;
  item_count: number;
  country: string;
  payment_method: string;
  score: number;
  decision: Decision;
  reasons: string;
  model_version: string;
  inference_ms: number;
  assessed_at: string;
  review_decision: ReviewDecision | null;
  reviewer: string | null;
  reviewed_at: string | null;
}

const fromRow = (r: Row): Assessment => ({
  assessmentId: r.assessment_id,
  orderId: r.order_id,
  customerId: r.customer_id,
  amountCents: r.amount_cents,
  itemCount: r.item_count,
  country: r.country,
  paymentMethod: r.payment_method,
  score: r.score,
  decision: r.decision,
  reasons: JSON.parse(r.reasons) as string[],
  modelVersion: r.model_version,
  inferenceMs: r.inference_ms,
  assessedAt: r.assessed_at,
  review:
    r.review_decision === null
      ? null
      : { decision: r.review_decision, reviewer: r.reviewer!, reviewedAt: r.reviewed_at! },
});

export interface AssessmentStore {
  find(orderId: string): Assessment | undefined;
  /** Inserts unless the order already has an assessment; returns the stored one either way. */
  insert(a: Omit<Assessment, 'review'>): Assessment;
  /** Inserts the review unless one exists; returns the stored assessment with its review. */
  recordReview(orderId: string, review: Review): Assessment;
}

export function createAssessmentStore(db: Database): AssessmentStore {
  const select = db.prepare(
    `SELECT a.*, r.decision AS review_decision, r.reviewer, r.reviewed_at
       FROM assessments a LEFT JOIN reviews r ON r.order_id = a.order_id
      WHERE a.order_id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO assessments (assessment_id, order_id, customer_id, amount_cents, item_count, country,
       payment_method, score, decision, reasons, model_version, inference_ms, assessed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id) DO NOTHING`,
  );
  const insertReview = db.prepare(
    `INSERT INTO reviews (order_id, decision, reviewer, reviewed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (order_id) DO NOTHING`,
  );

  const find = (orderId: string): Assessment | undefined => {
    const row = select.get(orderId) as Row | undefined;
    return row && fromRow(row);
  };

  return {
    find,
    insert(a) {
      insert.run(
        a.assessmentId,
        a.orderId,
        a.customerId,
        a.amountCents,
        a.itemCount,
        a.country,
        a.paymentMethod,
        a.score,
        a.decision,
        JSON.stringify(a.reasons),
        a.modelVersion,
        a.inferenceMs,
        a.assessedAt,
      );
      return find(a.orderId)!;
    },
    recordReview(orderId, review) {
      insertReview.run(orderId, review.decision, review.reviewer, review.reviewedAt);
      return find(orderId)!;
    },
  };
}
