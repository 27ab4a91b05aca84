# Runs OpenStack Swift pieces for the stowage test launcher
# (conformance/emulator/swift.go) without touching /etc/swift.
#
#   run.py rings SWIFT_DIR ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT
#       builds one-replica account, container and object rings with one
#       device "d1" each, running swift-ring-builder's own main() three
#       times per ring in this one process (a process per command costs
#       about 0.7 s of Python start-up each).
#   run.py server SWIFT_DIR NAME CONF
#       runs NAME (proxy-server, account-server, ...) in the foreground, as
#       swift-NAME CONF -v does, but with swift.conf read from SWIFT_DIR:
#       Swift hard-codes /etc/swift/swift.conf, so SWIFT_CONF_FILE is set
#       before the modules that read it are imported.
import sys

from swift.common import utils


def use_swift_dir(swift_dir):
    utils.set_swift_dir(swift_dir)
    from swift.common import constraints, storage_policy
    constraints.reload_constraints()
    storage_policy.reload_storage_policies()


def rings(swift_dir, ports):
    import os
    from swift.cli import ringbuilder
    for kind, port in zip(("account", "container", "object"), ports):
        builder = os.path.join(swift_dir, kind + ".builder")
        for args in (["create", "6", "1", "0"],
                     ["add", "r1z1-127.0.0.1:%s/d1" % port, "1"],
                     ["rebalance"]):
            try:
                ringbuilder.main(["swift-ring-builder", builder] + args)
            except SystemExit as e:
                if e.code not in (None, 0, 1):
                    sys.exit("swift-ring-builder %s %s: exit %s" %
                             (builder, " ".join(args), e.code))


def server(swift_dir, name, conf):
    use_swift_dir(swift_dir)
    from swift.common.wsgi import run_wsgi
    sys.exit(run_wsgi(conf, name, verbose=True))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "rings":
        rings(sys.argv[2], sys.argv[3:6])
    elif cmd == "server":
        server(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("usage: run.py rings|server ...")
