/**
 * Document 1, the agreement status: every pairing's agreement obligation, grouped by the recipient's
 * city and county, with its state and totals per city and for the programme.
 */
import type { PlainDate } from '../model.ts';
import { AGREEMENT_KIND } from '../model.ts';
import { type ForwardingSection, forwardingSection } from './forwardings.ts';
import {
  type CityGroup,
  dueDatesOf,
  heading,
  type PairingParties,
  type ReportHeading,
  type ReportSnapshot,
  type ReportStatus,
  SnapshotIndex,
  type StateCounts,
  sumCounts,
} from './snapshot.ts';

export interface AgreementRow extends PairingParties, ReportStatus {
  obligationId: string;
  year: number;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
}

export interface AgreementStatusView extends ReportHeading {
  /**
   * The pairings' own due dates: the hospitals' date where a city commission collects (before its
   * 28 February), 28 February where they report directly.
   */
  dueDates: PlainDate[];
  cities: CityGroup<AgreementRow>[];
  totals: StateCounts;
  /** The city commissions' forwardings of the agreements, and the direct pairings (Fujian §三(一)). */
  chain: ForwardingSection;
}

export function agreementStatusView(snapshot: ReportSnapshot): AgreementStatusView {
  const index = new SnapshotIndex(snapshot);
  const rows = snapshot.obligations
    .filter(({ obligation }) => obligation.kind === AGREEMENT_KIND)
    .flatMap(({ obligation, record }) => {
      const pairing = index.pairing(obligation.pairingId);
      if (!pairing) return [];
      const status = index.statusOf(obligation, record);
      return [
        {
          row: {
            ...index.parties(pairing),
            obligationId: obligation.id,
            year: obligation.year,
            dueDate: obligation.dueDate,
            effectiveDueDate: obligation.effectiveDueDate,
            ...status,
          } satisfies AgreementRow,
          pairing,
        },
      ];
    });
  const cities = index.groupByPlace(rows);
  return {
    ...heading(snapshot),
    dueDates: dueDatesOf(rows),
    cities,
    totals: sumCounts(cities.map((c) => c.counts)),
    chain: forwardingSection(snapshot, index, AGREEMENT_KIND, agreementYear(snapshot)),
  };
}

/** The agreement's year (the programme signs once; its first year if it lists several). */
function agreementYear(snapshot: ReportSnapshot): number {
  const years = snapshot.programme.obligationKinds.find((k) => k.kind === AGREEMENT_KIND)?.years ?? [];
  return Math.min(...years);
}
