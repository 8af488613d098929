"""Shared set-up for the oslo.messaging peers the it-tests run (Debian's python3-oslo.messaging)."""
import json
import sys

from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging._drivers import impl_rabbit


def transport_from(args):
    """An RPC transport on args['url'] with control_exchange and rabbit_quorum_queue as asked."""
    conf = cfg.CONF  # as Manila's services do; oslo registers some options only there
    conf([], project='ferry-it')
    conf.register_opts(impl_rabbit.rabbit_opts, group='oslo_messaging_rabbit')
    conf.set_override('rabbit_quorum_queue', bool(args['quorum']), group='oslo_messaging_rabbit')
    messaging.set_transport_defaults(control_exchange=args['exchange'])
    return messaging.get_rpc_transport(conf, url=args['url'])


def args_from_argv():
    return json.loads(sys.argv[1])
