// What other features may use of notices: they import it from here, never a
// module inside (the dependency rules in .dependency-cruiser.cjs check it).
export { noticeCardIssued } from './card.ts';
export type { NoticeDraft } from './model.ts';
export { insertCoverEndedNotices, insertEnrolmentNotices, insertNotices } from './store.ts';
