/**
 * Remembers each vehicle's latest event time so a late message (the feed replays backlogs minutes
 * late) can be marked out of order instead of moving the vehicle back.
 */
export interface OrderTracker {
  /** True when `eventTime` is older than the latest seen for `vehicleId`; updates the latest otherwise. */
  isLate(vehicleId: string, eventTime: number): boolean;
  readonly vehicles: number;
}

export function createOrderTracker(): OrderTracker {
  const latest = new Map<string, number>();
  return {
    isLate(vehicleId, eventTime) {
      const last = latest.get(vehicleId);
      if (last !== undefined && eventTime < last) return true;
      latest.set(vehicleId, eventTime);
      return false;
    },
    get vehicles() {
      return latest.size;
    },
  };
}
