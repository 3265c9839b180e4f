export { isrExpected, type IsrStratum } from './isr-expected';
