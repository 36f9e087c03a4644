package cn.pharmacyclaims.common.events;

/** What a POS asked for (POS-API.md §1); each mirrors a national transaction. */
public enum CommandType {
    /** 2101 预结算, CLM-13: computes, changes nothing. */
    PREVIEW,
    /** 2102 结算. */
    SETTLE,
    /** 2103 撤销, CLM-14. */
    CANCEL,
    /** 2601 冲正, CLM-15. */
    REVERSE
}
