// Preloaded into the suite's origin server (node --import): its server.listen(port) binds every interface;
// this makes a listen without a host bind 127.0.0.1 only, so the test origin is never reachable from outside.
import net from 'node:net'

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if ((typeof args[0] === 'number' || typeof args[0] === 'string') && typeof args[1] !== 'string') {
    args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}
