package cn.pharmacyclaims.common.events;

public enum SettlementStatus { SETTLED, REJECTED, CANCELLED, REVERSED, PENDING, PREVIEWED }
