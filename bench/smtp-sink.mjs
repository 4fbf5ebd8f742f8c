// A loopback SMTP sink for `npm run bench:alerts`, in its own process so that it does not share
// the sender's event loop: accepts every message, keeps nothing, prints its port, then on each
// line of stdin prints how many messages it has accepted.
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

let accepted = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 64,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      accepted++;
      callback();
    });
  },
});
server.server.on('connection', (s) => s.setNoDelay(true));
server.listen(0, '127.0.0.1', () => console.log(server.server.address().port));
createInterface({ input: process.stdin }).on('line', () => console.log(accepted));
process.stdin.on('end', () => server.close(() => process.exit(0)));
