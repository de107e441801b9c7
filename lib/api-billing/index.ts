// Paying for a pack settles through billing, which applies it by the effect this registers.
import "./pack-effects";
export { feeMicroFor, exactFee, type CallTokens, type ModelPrice } from "./fee";
export { accrue, holdMinorFor, MICRO_PER_MINOR, type Accrued } from "./accrual";
export { splitFee, type FeeSplit, type PackBalance } from "./split";
export { priceAt, syncModelPrices, toMicro, type PriceInForce } from "./prices";
export { paygContext, paygContextFor, type PaygContext } from "./context";
export { holdForCall, releaseHold, settleCall, deleteDeadHolds, type Hold } from "./calls";
export { settleCalls, type SettleItem, type Settlement } from "./settle";
export { buyPack, packProducts, expirePacks, type PackProduct } from "./packs";
export { rollupDay, rollupDueDays } from "./rollup";
export { dayOf, dayBounds, dueDays, type Day } from "./days";
export { dailyRecords, type DailyRecord, type DailySource } from "./daily";
export { packsOf, packState, type PackState, type UserPack } from "./user-packs";
