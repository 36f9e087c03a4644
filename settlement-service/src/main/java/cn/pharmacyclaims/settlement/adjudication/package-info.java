/**
 * Counter settlement (DOMAIN.md §3, CLM-02 … CLM-11) as plain Java: {@link
 * cn.pharmacyclaims.settlement.adjudication.Adjudicator#adjudicate} takes an {@link
 * cn.pharmacyclaims.settlement.adjudication.AdjudicationInput} (the request and snapshots the
 * settlement transaction loaded, after locking the person's account row) and returns an {@link
 * cn.pharmacyclaims.settlement.adjudication.Adjudication}: rejected, or accepted with the split and
 * the accumulator increments. No database, no clock, no framework: the same input gives the same
 * decision, which is also what makes CLM-13 preview equal to settlement.
 *
 * <h2>Order of checks</h2>
 * The first failing check rejects the whole request with that check's rejects only; later
 * checks are not run. Within a rule, each reject code is a check of its own, in this order:
 * <ol>
 *   <li>CLM-02 {@code PharmacyCheck}: PHARMACY_UNKNOWN; SETTLEMENT_HOLD (AGR-08, unless the
 *       policy allows settling under hold); AGREEMENT_NOT_ACTIVE (status, then sale date outside
 *       the agreement's term); TERMINAL_PHARMACY_MISMATCH.</li>
 *   <li>CLM-03 {@code PersonCheck}: INSURED_UNKNOWN; INSURED_NOT_ELIGIBLE (message says
 *       "deceased" for a deceased person, AUD-14); CARD_REPORTED_LOST; IDENTITY_MISMATCH.</li>
 *   <li>CLM-04 {@code ProxyCheck}: PROXY_IDENTITY_REQUIRED.</li>
 *   <li>CLM-05 {@code CatalogueCheck}: ITEM_UNKNOWN and NON_MEDICAL_ITEM together, per line
 *       (one check, so that an unknown code cannot hide a non-medical item from AUD-01).</li>
 *   <li>CLM-06 {@code PrescriptionCheck} (only with an Rx line): RX_REQUIRED;
 *       RX_PRESCRIBER_NOT_DESIGNATED; RX_PATIENT_MISMATCH; RX_EXPIRED; RX_TOO_MANY_ITEMS;
 *       RX_ALREADY_DISPENSED; RX_ITEM_NOT_PRESCRIBED; PHARMACIST_MISSING. A registered
 *       electronic prescription ({@link cn.pharmacyclaims.settlement.adjudication.Snapshots.RegisteredPrescription})
 *       must also match the request's header (institution and physician, patient), its issue time
 *       and validity apply, and only its items and quantities are dispensed; an unregistered one
 *       is checked on the request's header alone (see the class).</li>
 *   <li>CLM-07 then CLM-08 {@code SupplyCheck}: DAYS_SUPPLY_EXCEEDED; REFILL_TOO_SOON (equal to
 *       the threshold passes).</li>
 *   <li>CLM-09/10 {@code PriceCheck}: PRICE_INVALID.</li>
 * </ol>
 * Line-level checks report every failing line with its {@code lineNo}; request-level ones
 * (pharmacy, person, proxy, prescription as a whole) one reject without a line number. Messages
 * never carry identity numbers or names (AUD-23).
 *
 * <h2>Split (CLM-11)</h2>
 * Per line ({@code BenefitSplit}): amount, over-limit, out-of-scope, B self-pay first, eligible,
 * all rounded to 0.01 half-up at each step the rulebook names, and the benefit (CHRONIC, POOLING
 * or NONE). Per benefit group ({@code FundSplit}: pooling, and each chronic disease apart): the
 * fund is computed and rounded once on the group total, against the remaining deductible and
 * cap from the year's accumulators, then shared among the group's lines by largest remainder
 * ({@code Allocation}) so the lines sum exactly to it. The personal account ({@code
 * AccountSplit}) pays in line order up to the balance; cash is the rest. Totals are the sums of
 * the lines, so lines always add up to totals and fund + account + cash = total, per line and
 * overall.
 *
 * <h2>Configuration</h2>
 * Every threshold comes from the region's {@link cn.pharmacyclaims.settlement.adjudication.Snapshots.Policy}
 * in force on the sale date; a parameter the region left unset takes DOMAIN.md's default
 * ({@code PolicyLimits}). A missing benefit rule, ratio or cap means that benefit pays nothing.
 * Configuration the rules cannot honour is not turned into a reject the pharmacy would be blamed
 * for: it throws {@link java.lang.IllegalStateException} (no policy for a known pharmacy's region;
 * a chronic deductible above 0, which no accumulator tracks; accumulators of another year), and
 * the service decides how to answer.
 */
package cn.pharmacyclaims.settlement.adjudication;
