package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * CLM-11.5: the personal account pays the person's share, line by line in request order, until
 * the balance runs out. Only an EMPLOYEE has an account, and only when the request says
 * {@code useAccount: true} (absent means no). Per line the account may pay
 * {@code amount − fund} when the region lets the account cover class-C and over-limit amounts
 * (policy.accountCoversOutOfScope, the default), else {@code amount − fund − overLimit − outOfScope}
 * (the B self-pay share stays payable by the account either way). A balance below zero pays nothing.
 */
final class AccountSplit {
    private AccountSplit() {
    }

    static List<BigDecimal> of(List<LineSplit> lines, List<BigDecimal> fund, boolean accountUsable, BigDecimal balance,
                               boolean coversOutOfScope) {
        List<BigDecimal> pay = new ArrayList<>(lines.size());
        BigDecimal left = accountUsable && balance != null ? Money.max(Money.ZERO, Money.round(balance)) : Money.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            LineSplit l = lines.get(i);
            BigDecimal payable = l.amount().subtract(fund.get(i));
            if (!coversOutOfScope) {
                payable = payable.subtract(l.overLimit()).subtract(l.outOfScope());
            }
            BigDecimal p = Money.min(left, Money.max(Money.ZERO, payable));
            pay.add(p);
            left = left.subtract(p);
        }
        return pay;
    }
}
