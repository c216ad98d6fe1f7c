// Reviews both ways are written blind: each side sees the other's review only after both wrote one
// or REVIEW_BLIND_DAYS passed, so neither answers the other's review. Applied in lists, summaries,
// profiles and trust inputs through reviewReleased (repository.ts); the author always sees their own.

/** Days after which a review shows even when the other side never wrote theirs. */
export const REVIEW_BLIND_DAYS = 7;

/** Which side wrote a review: the borrower's review of the lender (reviews) or the lender's of the borrower (borrower_reviews). */
export type ReviewKind = 'LENDER' | 'BORROWER';

