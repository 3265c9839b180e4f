import type { MembershipRow, NetworkRow, OrganisationRow } from './demo-rows';
import { createRandom, type Random } from './random';

/**
 * The fictional health economy of "Kellbourne", a London-like city: 40 trusts, 300 GP practices in 8 primary
 * care networks, one ICB and one region. Codes have the ODS shape but use Z to mark them as made up:
 *   region 'YZZ'; ICB 'QZZ'; acute and specialist trusts 'RZA'–'RZZ'; smaller acute trusts 'TZA'–'TZN';
 *   practices 'Z10001'–'Z10300'; PCNs 'UZ001'–'UZ008'; other networks 'KB-…'.
 * Names are built from invented place roots. All of it comes from a fixed reference seed, so codes, names and
 * sizes (which the planted effects depend on) are the same whatever seed the observations are drawn with.
 */

export type TrustService = 'emergency' | 'hip_fracture' | 'mortality' | 'critical_care' | 'cancer' | 'inpatient';

/** What the simulation needs to know about one provider. */
export interface DemoProvider {
  code: string;
  level: 'trust' | 'gp_practice';
  /** Trusts: activity relative to a typical acute trust (0.45–3). Practices: registered list size. */
  scale: number;
  services: readonly TrustService[];
  /** Practices: weight of the young inner-city age profile against the older outer one (0–1). */
  youngShare: number;
  /** Trusts: casemix tilt towards higher-risk admissions (log scale, about ±0.5). */
  casemix: number;
  openedOn: string | null;
  closedOn: string | null;
}

export interface DemoReference {
  organisations: OrganisationRow[];
  networks: NetworkRow[];
  memberships: MembershipRow[];
  providers: DemoProvider[];
}

const referenceSeed = 1;
const regionCode = 'YZZ';
const icbCode = 'QZZ';

const placeRoots = ['Kell', 'Marrow', 'Hollin', 'Quill', 'Vesper', 'Tamber', 'Orrin', 'Lowen', 'Pell', 'Sorrel',
  'Wren', 'Grey', 'Fallow', 'Bramble', 'Calder', 'Dunmer', 'Ivel', 'Jessop', 'Nether', 'Umber'];
const placeEndings = ['bourne', 'dene', 'way', 'mere', 'field', 'ley', 'wick', 'hurst', 'grave', 'combe'];
// Each of the first 40 indices gets its own root–ending pair (i and i + 20 share a root, never an ending).
const place = (index: number) => placeRoots[index % 20] + placeEndings[(3 * index + Math.floor(index / 20)) % 10];

const allAcute: readonly TrustService[] = ['emergency', 'hip_fracture', 'mortality', 'critical_care', 'cancer', 'inpatient'];
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface TrustTier {
  codes: string[];
  sizes: [number, number];
  name: string;
  services: readonly TrustService[];
}

const trustTiers: TrustTier[] = [
  { codes: [...'ABCDEF'].map((l) => `RZ${l}`), sizes: [2, 3], name: 'University Hospitals NHS Foundation Trust', services: allAcute },
  { codes: [...'GHIJKLMNOPQRSTUV'].map((l) => `RZ${l}`), sizes: [0.9, 1.8], name: 'Hospitals NHS Trust', services: allAcute },
  { codes: ['RZW'], sizes: [0.8, 0.8], name: 'Heart and Lung Hospital NHS Foundation Trust', services: ['critical_care', 'cancer', 'inpatient'] },
  { codes: ['RZX'], sizes: [0.7, 0.7], name: 'Cancer Centre NHS Foundation Trust', services: ['critical_care', 'cancer', 'inpatient'] },
  { codes: ['RZY'], sizes: [0.5, 0.5], name: 'Orthopaedic Hospital NHS Trust', services: ['inpatient'] },
  { codes: ['RZZ'], sizes: [0.45, 0.45], name: 'Eye Hospital NHS Foundation Trust', services: ['inpatient'] },
  { codes: [...letters.slice(0, 14)].map((l) => `TZ${l}`), sizes: [0.45, 0.9], name: 'Healthcare NHS Trust', services: allAcute },
];

const pcnSizes = [34, 41, 38, 36, 40, 33, 42, 36];
// Inner-city PCNs first: their practices have younger lists.
const pcnYoungShare = [0.9, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25];
const pcnCode = (index: number) => `UZ00${index + 1}`;
const practiceCode = (index: number) => `Z1${String(index + 1).padStart(4, '0')}`;

const trees = ['Alder', 'Beech', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Holly', 'Juniper', 'Laurel', 'Linden', 'Maple', 'Oak', 'Rowan', 'Willow', 'Yew'];
const ways = ['Road', 'Lane', 'Green', 'Park', 'Grove', 'Hill', 'Street', 'Rise', 'Square', 'Way'];
const practiceKinds = ['Surgery', 'Medical Centre', 'Health Centre', 'Group Practice'];
// 150 distinct streets; practices i and i + 150 share a street but never a kind.
const practiceName = (index: number) =>
  `${trees[index % 15]} ${ways[Math.floor((index % 150) / 15)]} ${practiceKinds[(index + Math.floor(index / 150)) % 4]}`;

/** A practice that closes (its last full quarter is 2024/25 Q2) and one that opens a new list. */
export const closedPractice = { code: 'Z10150', closedOn: '2024-09-30' };
export const openedPractice = { code: 'Z10300', openedOn: '2024-04-01' };
/** Practices that move PCN mid-series (from one network to the next), and a trust that joins the ODN late. */
export const practiceMoves = [
  { code: practiceCode(33), from: pcnCode(0), to: pcnCode(1), on: '2024-10-01' },
  { code: practiceCode(221), from: pcnCode(5), to: pcnCode(6), on: '2025-04-01' },
];
export const lateJoiner = { code: 'TZA', networkCode: 'KB-CC-ODN', on: '2024-07-01' };

const networkStart = '2020-04-01';
const pcnStart = '2019-07-01';
const icbStart = '2022-07-01';

/** London-like list sizes: log-normal with median 9,500, redrawn (not clipped, which would pile lists up at the ends) outside 2,000–20,000. */
function drawListSize(random: Random): number {
  for (;;) {
    const listSize = Math.round(9_500 * Math.exp(random.normal(0, 0.45)));
    if (listSize >= 2_000 && listSize <= 20_000) return listSize;
  }
}

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function buildReference(): DemoReference {
  const random = createRandom(referenceSeed);
  const providers: DemoProvider[] = [];
  const organisations: OrganisationRow[] = [
    { code: regionCode, name: 'Kellbourne Region (synthetic)', kind: 'region', parent_code: null, opened_on: null, closed_on: null },
    { code: icbCode, name: 'NHS Kellbourne Integrated Care Board', kind: 'icb', parent_code: regionCode, opened_on: icbStart, closed_on: null },
  ];

  let trustIndex = 0;
  for (const tier of trustTiers) {
    for (const code of tier.codes) {
      const [low, high] = tier.sizes;
      const scale = low + (high - low) * random.uniform();
      organisations.push({ code, name: `${place(trustIndex++)} ${tier.name}`, kind: 'trust', parent_code: regionCode, opened_on: null, closed_on: null });
      providers.push({ code, level: 'trust', scale, services: tier.services, youngShare: 0.5, casemix: random.normal(0, 0.25), openedOn: null, closedOn: null });
    }
  }

  const pcnOfPractice: string[] = [];
  pcnSizes.forEach((size, pcn) => {
    for (let i = 0; i < size; i++) {
      const index = pcnOfPractice.length;
      const code = practiceCode(index);
      pcnOfPractice.push(pcnCode(pcn));
      const listSize = drawListSize(random);
      const youngShare = Math.min(1, Math.max(0, pcnYoungShare[pcn] + random.normal(0, 0.1)));
      const openedOn = code === openedPractice.code ? openedPractice.openedOn : null;
      const closedOn = code === closedPractice.code ? closedPractice.closedOn : null;
      organisations.push({ code, name: practiceName(index), kind: 'gp_practice', parent_code: icbCode, opened_on: openedOn, closed_on: closedOn });
      providers.push({ code, level: 'gp_practice', scale: listSize, services: [], youngShare, casemix: 0, openedOn, closedOn });
    }
  });

  return { organisations, providers, networks: buildNetworks(), memberships: buildMemberships(providers, pcnOfPractice) };
}

function buildNetworks(): NetworkRow[] {
  const network = (code: string, name: string, kind: NetworkRow['kind'], description: string): NetworkRow => ({ code, name, kind, description, restricted: false });
  return [
    network('KB-CVD-SCN', 'Kellbourne Cardiovascular Strategic Clinical Network', 'strategic_clinical_network', 'Acute trusts and the heart and lung hospital'),
    network('KB-CC-ODN', 'Kellbourne Adult Critical Care Operational Delivery Network', 'operational_delivery_network', 'Trusts with adult intensive care units in the north of the city'),
    network('KB-MT-ODN', 'Kellbourne Major Trauma Network', 'operational_delivery_network', 'Three major trauma centres and their trauma units'),
    network('KB-CANCER', 'Kellbourne Cancer Alliance', 'cancer_network', 'Trusts diagnosing and treating cancer'),
    ...pcnSizes.map((_, pcn) => network(pcnCode(pcn), `${place(20 + pcn)} Primary Care Network`, 'primary_care_network', 'GP practices working together')),
    network(icbCode, 'NHS Kellbourne Integrated Care Board', 'icb', 'Every trust and practice in the ICB'),
  ];
}

function buildMemberships(providers: DemoProvider[], pcnOfPractice: string[]): MembershipRow[] {
  const rows: MembershipRow[] = [];
  const add = (network: string, code: string, from: string, to: string | null) =>
    rows.push({ network_code: network, organisation_code: code, valid_from: from, valid_to: to });
  const trusts = providers.filter((p) => p.level === 'trust').map((p) => p.code);
  const acute = providers.filter((p) => p.services.includes('emergency')).map((p) => p.code);
  const membersOf = (network: string, codes: string[]) => codes.forEach((code) => add(network, code, networkStart, null));

  membersOf('KB-CVD-SCN', [...acute, 'RZW']);
  membersOf('KB-CC-ODN', [...trusts.filter((c) => /^RZ[A-V]$/.test(c)), 'RZW']);
  add(lateJoiner.networkCode, lateJoiner.code, lateJoiner.on, null);
  membersOf('KB-MT-ODN', ['RZA', 'RZB', 'RZC', ...'GHIJKLMN'.split('').map((l) => `RZ${l}`), 'TZA', 'TZB']);
  membersOf('KB-CANCER', [...trusts.filter((c) => /^RZ[A-V]$/.test(c)), 'RZW', 'RZX', ...'ABCDEF'.split('').map((l) => `TZ${l}`)]);

  for (const trust of trusts) add(icbCode, trust, icbStart, null);
  providers
    .filter((p) => p.level === 'gp_practice')
    .forEach((practice, index) => {
      const until = practice.closedOn ? dayAfter(practice.closedOn) : null;
      const move = practiceMoves.find((m) => m.code === practice.code);
      if (move) {
        add(move.from, practice.code, pcnStart, move.on);
        add(move.to, practice.code, move.on, until);
      } else {
        add(pcnOfPractice[index], practice.code, practice.openedOn ?? pcnStart, until);
      }
      add(icbCode, practice.code, practice.openedOn ?? icbStart, until);
    });
  return rows;
}
