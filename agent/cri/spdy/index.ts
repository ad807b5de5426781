// SPDY/3.1 for the CRI streaming server: framing, header compression with the fixed dictionary, a session
// (server or client mode) with streams as Duplexes, and the kubelet's remotecommand and port-forward
// protocols on top. The client mode exists for tests and tools; the server uses mode 'server'.

/** Frame encoding/decoding and protocol constants. */
export { encodeFrame, FrameParser, FrameType, flagFin, flagUnidirectional, initialWindowSize, RstStatus, SpdyProtocolError, type Frame } from './frames.js';
/** Header blocks: plain encoding and the per-direction zlib contexts. */
export { encodeHeaderBlock, decodeHeaderBlock, HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './headers.js';
/** SPDY/3's fixed zlib dictionary. */
export { headerDictionary } from './dictionary.js';
/** A SPDY session over an upgraded socket. */
export { SpdySession, type SpdySessionOptions } from './session.js';
/** One stream of a session, as a Duplex. */
export { SpdyStream } from './stream.js';
/** X-Stream-Protocol-Version negotiation. */
export { negotiate, offeredProtocols, wantsSpdy, spdyExecProtocols, portForwardProtocol, type SpdyExecProtocol } from './negotiate.js';
/** Exec/attach streams over SPDY. */
export { acceptRemoteCommand, expectedStreams, type RemoteCommandShape } from './remotecommand.js';
/** Port-forward over SPDY. */
export { servePortForward, type PortDialer } from './portforward.js';
/** Splits back-to-back JSON objects (the resize stream). */
export { JsonObjectSplitter } from './json-stream.js';
