package cn.pharmacyclaims.common.events;

public enum DecisionEventType { SETTLED, REJECTED, CANCELLED, REVERSED }
