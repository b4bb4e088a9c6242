#!/usr/bin/env python3
"""A real SMTP server for the tests (Debian's python3-aiosmtpd): every message accepted is
written to DIR as NNNN.eml (the bytes received, after an X-Envelope-To line). It prints
"port N" once it listens and runs until killed.

Its answer to DATA is steered by files in DIR, read at each message:
  refuse   a number N: answer 451 (try again later) to the next N messages
  reject   present: answer 550 to every message
"""
import asyncio
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.out, 'reject')):
            return '550 5.7.1 refused by the test server'
        refuse = os.path.join(self.out, 'refuse')
        if os.path.exists(refuse):
            with open(refuse) as f:
                n = int(f.read().strip() or 0)
            if n > 0:
                with open(refuse + '.tmp', 'w') as f:
                    f.write(str(n - 1))
                os.replace(refuse + '.tmp', refuse)
                return '451 4.3.0 try again later'
        n = len([x for x in os.listdir(self.out) if x.endswith('.eml')])
        path = os.path.join(self.out, '%04d.eml' % n)
        with open(path + '.tmp', 'wb') as f:
            f.write(b'X-Envelope-To: ' + ','.join(envelope.rcpt_tos).encode() + b'\r\n')
            f.write(envelope.original_content)
        os.replace(path + '.tmp', path)
        return '250 2.0.0 stored'


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Handler(out), hostname='127.0.0.1', port=port)
    controller.start()
    print('port %d' % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == '__main__':
    main()
