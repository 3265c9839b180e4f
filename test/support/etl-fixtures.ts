import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder for files a test writes; remove() deletes it. */
export function temporaryFolder() {
  const folder = mkdtempSync(join(tmpdir(), 'variation-atlas-'));
  return {
    folder,
    write(name: string, content: string | Uint8Array): string {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** A small reference set: three trusts, a network and four indicators, one of each measure kind family. */
export const referenceFiles = {
  'organisations.csv': [
    'code,name,kind,parent_code,opened_on,closed_on',
    'QZZ,Test ICB,icb,,,',
    'RZA,Alpha Hospitals NHS Trust,trust,QZZ,2001-04-01,',
    'RZB,Beta Healthcare NHS Trust,trust,QZZ,,',
    'RZC,"Gamma, Delta and Epsilon NHS Foundation Trust",trust,QZZ,,',
  ].join('\n'),
  'networks.csv': ['code,name,kind,description,restricted', 'ODN1,Test critical care ODN,operational_delivery_network,For tests,false'].join('\n'),
  'network_memberships.csv': [
    'network_code,organisation_code,valid_from,valid_to',
    'ODN1,RZA,2020-04-01,',
    'ODN1,RZB,2020-04-01,2024-04-01',
  ].join('\n'),
  'indicators.csv': [
    'code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target',
    'READMIT,Emergency readmissions within 30 days,Effectiveness,proportion,lower_is_better,100,%,,,',
    'SHMI,Summary Hospital-level Mortality Indicator,Mortality,indirectly_standardised_ratio,lower_is_better,1,ratio,,,',
    'CDIFF,Hospital-onset C. difficile,Safety,crude_rate,lower_is_better,100000,per 100000 bed days,,,',
    'LOS,Mean length of stay,Efficiency,mean,no_judgement,1,days,,,',
    '90360,Hip fracture emergency admissions (Fingertips),Falls,directly_standardised_rate,lower_is_better,100000,per 100000,,,',
  ].join('\n'),
};
