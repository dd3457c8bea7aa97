import { buildReason } from '../../../src/alerts/reason';

describe('buildReason (Kibana alertReasonDescription)', () => {
  it.each([
    [{}, 'event created low alert R.'],
    [{ event: { category: 'network' } }, 'network event created low alert R.'],
    [
      { source: { ip: '10.0.0.1' }, user: { name: 'alice' } },
      'event with source 10.0.0.1 by alice created low alert R.',
    ],
    [{ source: { ip: '10.0.0.1', port: '443' } }, 'event with source 10.0.0.1:443, created low alert R.'],
    // numeric values have no length: Kibana leaves them out, and so do we
    [{ source: { ip: '10.0.0.1', port: 443 } }, 'event with source 10.0.0.1 created low alert R.'],
    [{ user: { name: 'alice' }, host: { name: 'node-1' } }, 'event by alice on node-1 created low alert R.'],
    [{ user: { name: '-' } }, 'event created low alert R.'],
    [{ user: { name: ['-'] } }, 'event created low alert R.'],
    [{ user: { name: '' } }, 'event created low alert R.'],
    [
      { source: { ip: ['10.0.0.1', '10.0.0.2'] } },
      'event with source 10.0.0.1, 10.0.0.2 created low alert R.',
    ],
    [{ 'source.ip': '10.0.0.9' }, 'event with source 10.0.0.9 created low alert R.'],
    [
      {
        event: { category: ['process'] },
        process: { name: 'sh', parent: { name: 'bash' } },
        file: { name: 'x' },
        destination: { ip: '1.1.1.1', port: '53' },
        user: { name: 'root' },
        host: { name: 'h' },
      },
      'process event with process sh, parent process bash, file x, destination 1.1.1.1:53, by root on h created low alert R.',
    ],
  ])('%j', (source, expected) => {
    expect(buildReason(source, 'R', 'low')).toBe(expected);
  });
});
