"""Casts Manila's restore_backup(backup, share_id) at version 1.1, exactly as manila/data/rpcapi.py does."""
import oslo_messaging as messaging

from oslo_common import args_from_argv, transport_from

args = args_from_argv()
transport = transport_from(args)
target = messaging.Target(topic='manila-data', version='1.0')
client = messaging.get_rpc_client(transport, target, version_cap='1.1')
client.prepare(version='1.1').cast(args['context'], 'restore_backup', backup=args['backup'],
                                   share_id=args['share_id'])
transport.cleanup()
print('CAST SENT', flush=True)
