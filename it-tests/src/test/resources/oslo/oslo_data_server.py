"""A stand-in for Manila's data service: an oslo RPC server on manila-data with endpoint version 1.1.
It writes the first restore_backup it receives (context and arguments) to args['out'] and exits."""
import json
import threading

import oslo_messaging as messaging

from oslo_common import args_from_argv, transport_from

args = args_from_argv()
transport = transport_from(args)
received = threading.Event()


class DataManager(object):
    target = messaging.Target(version='1.1')

    def restore_backup(self, context, backup, share_id):
        with open(args['out'], 'w') as out:
            json.dump({'method': 'restore_backup', 'context': context, 'backup': backup,
                       'share_id': share_id}, out)
        received.set()


server = messaging.get_rpc_server(transport, messaging.Target(topic='manila-data', server='oslo-it'),
                                  [DataManager()], executor='threading')
server.start()
print('READY', flush=True)
ok = received.wait(120)
server.stop()
server.wait()
transport.cleanup()
print('RECEIVED' if ok else 'TIMED OUT', flush=True)
