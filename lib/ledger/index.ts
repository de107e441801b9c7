export { post, postMany, postingRows, LedgerError, type Posting } from "./post";
export { userCash, userCredits, userPacks, system, type AccountRef } from "./accounts";
export { walletOf, type Wallet } from "./balances";
export {
  adjustCredits,
  grantCredits,
  CreditAdjustmentError,
  type AdjustmentResult,
  type CreditAdjustment,
} from "./grants";
export { movementsOf, balancesOf, type Movement } from "./history";
