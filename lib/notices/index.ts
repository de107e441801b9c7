// Notices to subscribers: recorded with the change that causes them, shown in the app, mailed by the worker.
export { notify, type NoticeKind, type NoticeDraft } from "./notify";
export { noticeText } from "./notice-text";
export { mailPendingNotices, noticesOf } from "./mail-outbox";
