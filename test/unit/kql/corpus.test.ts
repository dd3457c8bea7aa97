import { compileQuery, parseKql, printKql } from '../../../src/kql';
import { types } from '../../helpers/kqlAst';

/**
 * Hard cases seen while sampling the KQL rules (query, new_terms, threshold) of elastic/detection-rules:
 * long value lists, every escape style, quoted Windows paths, wildcards in the middle of paths, PowerShell
 * fragments full of brackets, quotes and `$`, nested groups of and/or/not inside value lists. Written here in
 * our own words with the same shapes; each must parse, compile against ECS-like field types, and print back.
 */
const ECS = types({
  'event.category': ['keyword'],
  'event.dataset': ['keyword'],
  'event.action': ['keyword'],
  'event.outcome': ['keyword'],
  'event.code': ['keyword'],
  'host.os.type': ['keyword'],
  'process.name': ['keyword'],
  'process.args': ['keyword'],
  'process.executable': ['keyword'],
  'process.command_line': ['wildcard'],
  'process.parent.name': ['keyword'],
  'file.path': ['keyword'],
  'file.directory': ['keyword'],
  'registry.path': ['keyword'],
  'user.id': ['keyword'],
  'user.name': ['keyword'],
  'source.ip': ['ip'],
  'destination.port': ['long'],
  'network.bytes': ['long'],
  'dns.question.name': ['keyword'],
  'url.path': ['wildcard'],
  'powershell.file.script_block_text': ['match_only_text'],
  'kubernetes.audit.requestObject.spec.volumes.hostPath.path': ['text'],
  'kubernetes.audit.requestObject.spec.containers.image': ['keyword'],
  'kubernetes.audit.verb': ['keyword'],
  'kubernetes.audit.objectRef.resource': ['keyword'],
  'kubernetes.audit.annotations.authorization_k8s_io/decision': ['keyword'],
  'aws.cloudtrail.user_identity.arn': ['keyword'],
  'gcp.audit.method_name': ['keyword'],
  '@timestamp': ['date'],
  'event.ingested': ['date'],
});

const HARD: readonly [string, string][] = [
  [
    'host path list and a long image exclusion list with escaped colons',
    `event.dataset : "kubernetes.audit_logs" and kubernetes.audit.annotations.authorization_k8s_io/decision:"allow" and
kubernetes.audit.objectRef.resource:"pods" and kubernetes.audit.verb:("create" or "update" or "patch") and
kubernetes.audit.requestObject.spec.volumes.hostPath.path: (
  "/" or "/proc" or "/var/run/docker.sock" or "/var/lib/kubelet/pki" or "/etc/kubernetes/manifests"
) and
not kubernetes.audit.requestObject.spec.containers.image: (
  registry.example/agents/node-agent* or *vendor/node-agent* or *node-agent\\:dev* or quay.io/cni* or
  */monitoring/* or *.dkr.ecr.*.amazonaws.com/eks/csi-* or mcr.microsoft.com/oss/v2/kubernetes-csi*
)`,
  ],
  [
    'quoted Windows directories with doubled backslashes',
    `event.category:process and host.os.type:windows and
  not file.directory : (
    "C:\\\\Program Files\\\\Monitoring Agent\\\\tmp" or
    "C:\\\\Program Files\\\\WindowsPowerShell\\\\Modules\\\\SomeModule\\\\1.2.3"
  )`,
  ],
  [
    'unquoted Windows paths with escaped colon and backslashes, and wildcards inside',
    'process.executable:(C\\:\\\\Windows\\\\System32\\\\*.exe or C\\:\\\\Users\\\\*\\\\AppData\\\\Local\\\\Temp\\\\*) and not process.name:(svchost.exe or "MsMpEng.exe")',
  ],
  [
    'registry paths with wildcards between escaped backslashes',
    'registry.path:(HKEY_USERS\\\\*\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\* or HKLM\\\\SYSTEM\\\\*ControlSet*\\\\Services\\\\*\\\\ImagePath)',
  ],
  [
    'PowerShell fragments with brackets, dollars, quotes and operators, grouped with and/or',
    `event.category:process and host.os.type:windows and
  powershell.file.script_block_text : (
    "[string]::join" or "-Join" or "[char][int]$_" or
    ("ConvertTo-SecureString" and "PtrToStringAuto") or
    ("$env:ComSpec[4" and "25]-Join") or
    (("Set-Variable" or "SV" or "Set-Item") and "OFS") or
    ("*MDR*" and "Name[3,11,2]") or
    ("$VerbosePreference" and "[1,3]+'X'-Join''")
  ) and
  not powershell.file.script_block_text : (
    "Export-ModuleMember -Function @('Invoke-Expression''Invoke-Command')" and "function Invoke-Command {"
  )`,
  ],
  [
    'bare tokens in a text value list, mixed with quoted ones',
    'event.category:process and powershell.file.script_block_text : (NetShareEnum or NetSessionEnum or "Get-Clipboard" or (waveInOpen and mciSendStringA))',
  ],
  [
    'precedence without parentheses around an or at the end',
    `event.category:process and
  (powershell.file.script_block_text : ("Windows.Clipboard" or "Windows.Forms.TextBox") and
   powershell.file.script_block_text : ("]::GetText" or ".Paste()")) or powershell.file.script_block_text : "Get-Clipboard"
  and not user.id : "S-1-5-18"`,
  ],
  [
    'service accounts that end in a dollar sign and a negated list',
    'event.category:authentication and event.outcome:failure and not user.name:(*$ or SYSTEM or "LOCAL SERVICE")',
  ],
  [
    'numbers and ranges on ports and bytes',
    'destination.port:(22 or 3389 or 5985) and network.bytes >= 1048576',
  ],
  [
    'ip CIDR blocks, quoted because of the slash and colons',
    'not source.ip:("10.0.0.0/8" or "172.16.0.0/12" or "::1" or "fe80::/10")',
  ],
  [
    'dns names with leading wildcards',
    'dns.question.name:(*.onion or *.i2p or *ngrok.io or *.trycloudflare.com)',
  ],
  [
    'cloud audit actions with a wildcard in the middle',
    'event.dataset:gcp.audit and gcp.audit.method_name:google.iam.admin.v*.CreateRole and event.outcome:success',
  ],
  [
    'an ARN with colons and slashes escaped',
    'aws.cloudtrail.user_identity.arn:arn\\:aws\\:sts\\:\\:*\\:assumed-role/*/i-* and event.action:(GetSecretValue or GetParameter)',
  ],
  [
    'process args that look like options, quoted and unquoted',
    'process.name:curl and process.args:("-o" or -O or --output or "-sSL")',
  ],
  ['a question mark is literal, not a wildcard', 'url.path:/cgi-bin/*.cgi?* and not url.path:*favicon.ico'],
  [
    'escaped parentheses and quotes in a command line',
    'process.command_line:*\\(New-Object*Net.WebClient\\)*DownloadString\\(*',
  ],
  [
    'event codes as quoted strings and a missing-field check',
    'event.code:"4624" and not process.parent.name:* and user.name:*',
  ],
  [
    'keywords in any case and extra whitespace',
    'event.category : process   AND\n\tNOT  process.name : (cmd.exe  OR  powershell.exe)  Or  host.os.type:linux',
  ],
  [
    'a date range on the ingest timestamp',
    'event.ingested >= "2024-01-01T00:00:00Z" and @timestamp < now-1h',
  ],
  [
    'a share name written as a quoted UNC pattern (the star is literal) next to its unquoted wildcard twin',
    'event.code:"5145" and (share.name:"\\\\\\\\*\\\\IPC$" or share.name:\\\\\\\\*\\\\ADMIN$) and share.target:(*\\\\logon.bat or *\\\\startup.cmd)',
  ],
  [
    'a drive letter as a one-character literal before an escaped colon, doubled backslashes and literal question marks',
    'not file.path:?\\:\\\\\\\\Vendor\\\\\\\\Agent?Tools\\\\\\\\Scripts\\\\\\\\helper.ps1*',
  ],
  [
    'quoted registry fragments whose backslashes precede ordinary letters (kept literally) and escaped quotes',
    `powershell.file.script_block_text:("Get-ItemProperty" and ("\\Control\\Lsa\\OSConfig" or "Policies\\Vendor\\Installer")) and
  not powershell.file.script_block_text:("ExportedCommands=@(\\"Get-Thing\\"," or "Vendor.Module.Core\\Export-ModuleMember")`,
  ],
  [
    'a value list that nests an and-not inside the parentheses',
    'url.path:(/v1.0/me/*cc or /v1.0/users/*) and url.path:((*inbox* or *calendar*) and not *settings*)',
  ],
  [
    'a query that starts with a space and ends in a top-level or after several ands',
    ' event.dataset:(cloud.signin or cloud.activity) and cloud.signin.protocol:deviceCode and cloud.signin.app:0000-aaaa and event.outcome:success or (cloud.activity.app:0000-aaaa and cloud.activity.protocol:deviceCode)',
  ],
  [
    'a field name with hyphens and quoted values that start with a dash',
    'cloud.request.x-vendor-acl:("public-read" or "public-read-write") and cloud.request.protocol:"-1" and not user_agent.original:(*Terraform* or *pulumi*)',
  ],
  [
    'Windows access-list codes with doubled percent signs and tab indentation',
    'event.code:5145 and (\n\tmessage:WriteData or\n\twinlog.event_data.AccessList:*%%4417*\n\t)',
  ],
  [
    'unquoted CIDR blocks and a bare address on ip fields, inside a negated group',
    'not (source.ip:(10.0.0.0/8 or 127.0.0.0/8 or 0.0.0.0) or destination.ip:(192.168.0.0/16 or 224.0.0.0/4 or "FF00::/8"))',
  ],
  [
    'an indicator query with a quoted date-math range and a quoted boolean',
    '@timestamp >= "now-30d/d" and event.module:(threatintel or ti_*) and threat.indicator.ip:* and not labels.is_transform_source:"true"',
  ],
  [
    'Linux paths with dot segments, hidden files and globs as bare values',
    'process.executable:(./* or /dev/shm/* or /home/*/.* or /etc/rc*.d/*) and not process.executable:(/tmp/go-build* or /run/containerd/*)',
  ],
  [
    'value lists holding a lone star, a negated star, an empty phrase and an and-not group',
    `event.type:(connection and not (denied or end)) and (network.protocol:(telnet or not *) or event.dataset:fw.log) and
  user_agent.original:(* and not (*kube-client/$Version)) and not container.image:(registry.example/agent* or "")`,
  ],
  [
    'and binding tighter than or inside a value list of wildcards, next to a negated range',
    'file.path:(*Vendor* and *Mail* and *Remote* or *AppData* and *Local*) and not (event.action:flow_summary and not network.packets > 1)',
  ],
  ['the empty query of a threshold rule', ''],
];

describe('hard queries sampled from the detection-rules corpus', () => {
  it.each(HARD)('%s', (_name, query) => {
    const tree = parseKql(query);
    expect(parseKql(printKql(tree))).toEqual(tree);
    const dsl = compileQuery({ language: 'kuery', query, fieldTypes: ECS, timeZone: 'Zulu' });
    expect(JSON.stringify(dsl).length).toBeGreaterThan(10);
  });

  it('reads quoted doubled backslashes as one, and unquoted escapes exactly', () => {
    expect(
      compileQuery({
        language: 'kuery',
        query: 'file.directory:"C:\\\\Program Files\\\\X" or process.executable:C\\:\\\\Windows\\\\*.exe',
        fieldTypes: ECS,
      }),
    ).toEqual({
      bool: {
        should: [
          {
            bool: {
              should: [{ term: { 'file.directory': { value: 'C:\\Program Files\\X' } } }],
              minimum_should_match: 1,
            },
          },
          {
            bool: {
              should: [{ wildcard: { 'process.executable': { value: 'C\\:\\\\Windows\\\\*.exe' } } }],
              minimum_should_match: 1,
            },
          },
        ],
        minimum_should_match: 1,
      },
    });
  });

  it('keeps a star inside quotes literal and reads an escaped colon before literal question marks', () => {
    const types = new Map([
      ['share.name', new Set(['keyword'])],
      ['file.path', new Set(['keyword'])],
    ]);
    expect(
      compileQuery({ language: 'kuery', query: 'share.name:"\\\\\\\\*\\\\IPC$"', fieldTypes: types }),
    ).toEqual({
      bool: { should: [{ term: { 'share.name': { value: '\\\\*\\IPC$' } } }], minimum_should_match: 1 },
    });
    expect(
      compileQuery({ language: 'kuery', query: 'share.name:\\\\\\\\*\\\\IPC$', fieldTypes: types }),
    ).toEqual({
      bool: {
        should: [{ wildcard: { 'share.name': { value: '\\\\\\\\*\\\\IPC$' } } }],
        minimum_should_match: 1,
      },
    });
    expect(parseKql('file.path:?\\:\\\\\\\\Vendor\\\\\\\\Agent?Tools*')).toEqual({
      kind: 'is',
      field: { type: 'literal', value: 'file.path', quoted: false },
      value: { type: 'wildcard', parts: ['?:\\\\Vendor\\\\Agent?Tools', ''] },
    });
  });

  it('reads `not *` inside a value list as "the field is missing" and a lone star as "it exists"', () => {
    const types = new Map([['network.protocol', new Set(['keyword'])]]);
    const exists = { bool: { should: [{ exists: { field: 'network.protocol' } }], minimum_should_match: 1 } };
    expect(
      compileQuery({ language: 'kuery', query: 'network.protocol:(telnet or not *)', fieldTypes: types }),
    ).toEqual({
      bool: {
        should: [
          {
            bool: {
              should: [{ term: { 'network.protocol': { value: 'telnet' } } }],
              minimum_should_match: 1,
            },
          },
          { bool: { must_not: exists } },
        ],
        minimum_should_match: 1,
      },
    });
    expect(
      compileQuery({ language: 'kuery', query: 'network.protocol:(* and not ssh)', fieldTypes: types }),
    ).toEqual({
      bool: {
        filter: [
          exists,
          {
            bool: {
              must_not: {
                bool: {
                  should: [{ term: { 'network.protocol': { value: 'ssh' } } }],
                  minimum_should_match: 1,
                },
              },
            },
          },
        ],
      },
    });
  });

  it('keeps a backslash before an ordinary letter inside quotes and unescapes an escaped quote', () => {
    expect(
      compileQuery({
        language: 'kuery',
        query: 'powershell.file.script_block_text:("\\Control\\Lsa" or "@(\\"Get-Thing\\",")',
        fieldTypes: ECS,
      }),
    ).toEqual({
      bool: {
        should: [
          {
            bool: {
              should: [{ match_phrase: { 'powershell.file.script_block_text': '\\Control\\Lsa' } }],
              minimum_should_match: 1,
            },
          },
          {
            bool: {
              should: [{ match_phrase: { 'powershell.file.script_block_text': '@("Get-Thing",' } }],
              minimum_should_match: 1,
            },
          },
        ],
        minimum_should_match: 1,
      },
    });
  });

  it('treats wildcard-typed ECS fields (process.command_line) like text: query_string, as Kibana does', () => {
    expect(
      compileQuery({ language: 'kuery', query: 'process.command_line:*whoami*', fieldTypes: ECS }),
    ).toEqual({
      bool: {
        should: [{ query_string: { fields: ['process.command_line'], query: '*whoami*' } }],
        minimum_should_match: 1,
      },
    });
  });
});
