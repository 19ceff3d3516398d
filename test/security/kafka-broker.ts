// A throwaway single-node KRaft broker from the stack's cached Kafka (the same jars and JVM as
// stack/components.ts) with one client listener, SASL_SSL: TLS from a PEM keystore (ssl.keystore.type=PEM,
// key and certificate of the test PKI) and SCRAM-SHA-512 users written into the metadata log when the
// storage is formatted (`kafka-storage format --add-scram`). Free ports, a temp log dir, stopped by PID.
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tools } from '../../stack/tools.ts';
import { withFreePorts } from '../support/ports.ts';
import { startProcess, waitUntil, type Started } from './processes.ts';
import type { TestPki } from './pki.ts';

export interface SaslSslBroker {
  readonly bootstrap: string;
  readonly user: string;
  readonly password: string;
  readonly process: Started;
  readonly stop: () => Promise<void>;
}

// Fast JVM start on a busy 2-core machine: C1 only, a small heap, serial GC.
const JVM = ['-Xms64m', '-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto'];

const tcpOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function startSaslSslBroker(pki: TestPki, timeoutMs = 40_000): Promise<SaslSslBroker> {
  const libs = tools.kafka.bins.libs;
  return withFreePorts(3, async (ports) => {
    const [client, internal, controller] = ports as [number, number, number];
    const dir = mkdtempSync(join(tmpdir(), 'orderflow-kafka-sasl-'));
    const user = 'orderflow';
    const password = `pw-${Math.random().toString(36).slice(2)}`;
    const props = join(dir, 'server.properties');
    writeFileSync(
      props,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `listeners=SASL_SSL://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal},CONTROLLER://127.0.0.1:${controller}`,
        `advertised.listeners=SASL_SSL://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal}`,
        'listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=INTERNAL',
        'controller.listener.names=CONTROLLER',
        `controller.quorum.bootstrap.servers=127.0.0.1:${controller}`,
        `log.dirs=${join(dir, 'data')}`,
        // SASL: SCRAM-SHA-512 only (the users come from the format step).
        'sasl.enabled.mechanisms=SCRAM-SHA-512',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        // TLS: a PEM keystore (private key + certificate in one file), no client certificates.
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${pki.serverKeystore}`,
        'num.partitions=1',
        'default.replication.factor=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=false',
        'num.network.threads=1',
        'num.io.threads=2',
        'background.threads=2',
        '',
      ].join('\n'),
    );
    await promisify(execFile)(
      'java',
      [
        ...JVM,
        '-cp',
        `${libs}/*`,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        '-t',
        'b3JkZXJmbG93LXNhc2wtdGVzdA',
        '-c',
        props,
        '--add-scram',
        `SCRAM-SHA-512=[name=${user},password=${password}]`,
      ],
      { timeout: 30_000 },
    );
    const started = startProcess('java', [...JVM, '-cp', `${libs}/*`, 'kafka.Kafka', props]);
    const stop = async () => {
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitUntil(started, 'Kafka (SASL_SSL)', () => tcpOpen(client), timeoutMs);
    } catch (err) {
      await stop();
      throw err;
    }
    return { bootstrap: `127.0.0.1:${client}`, user, password, process: started, stop };
  });
}
