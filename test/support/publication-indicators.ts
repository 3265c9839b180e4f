/**
 * The national indicators the publication readers load into, with the codes of the shipped catalogue (built
 * separately): each test loads them itself so it does not depend on that catalogue.
 */
export const publicationIndicatorsCsv = [
  'code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target',
  'CWT-62D,Treated within 62 days of an urgent referral,Cancer,proportion,higher_is_better,100,%,,NHS England Cancer Waiting Times,',
  'CWT-31D,Treated within 31 days of a decision to treat,Cancer,proportion,higher_is_better,100,%,,NHS England Cancer Waiting Times,',
  'CWT-FDS28,Told within 28 days (Faster Diagnosis Standard),Cancer,proportion,higher_is_better,100,%,,NHS England Cancer Waiting Times,',
  'AE-4H,A&E attendances within 4 hours (all types),Urgent care,proportion,higher_is_better,100,%,,NHS England A&E attendances,',
  'AE-4H-T1,A&E attendances within 4 hours (type 1),Urgent care,proportion,higher_is_better,100,%,,NHS England A&E attendances,',
].join('\n');
