// The registry of information elements: IANA's IPFIX registry (which also numbers NetFlow v9
// fields 1-127) and the enterprise elements seen in practice. A data record's fields are named
// from here; the decoder maps the ones it understands onto the normalized record and keeps the
// rest as extras under these names.
//
// Types: u unsigned, i signed, f float, b boolean, mac, s string, o octets, ip4, ip6,
// ts/tms/tus/tns dateTime seconds/milliseconds/microseconds/nanoseconds, bl/stl/stml lists.

export type ElementType = 'u' | 'i' | 'f' | 'b' | 'mac' | 's' | 'o' | 'ip4' | 'ip6' | 'ts' | 'tms' | 'tus' | 'tns' | 'bl' | 'stl' | 'stml';

export interface ElementInfo {
  name: string;
  type: ElementType;
}

/** Private enterprise numbers the registry knows. */
export const PEN = {
  cisco: 9,
  juniper: 2636,
  vmware: 6876,
  /** RFC 5103: reverse direction of a biflow, same element ids as IANA's */
  reverse: 29305,
  pmacct: 43874,
} as const;

// IANA IPFIX Information Elements (https://www.iana.org/assignments/ipfix), id name type.
const IANA = `
1 octetDeltaCount u|2 packetDeltaCount u|3 deltaFlowCount u|4 protocolIdentifier u|5 ipClassOfService u|6 tcpControlBits u
7 sourceTransportPort u|8 sourceIPv4Address ip4|9 sourceIPv4PrefixLength u|10 ingressInterface u|11 destinationTransportPort u
12 destinationIPv4Address ip4|13 destinationIPv4PrefixLength u|14 egressInterface u|15 ipNextHopIPv4Address ip4
16 bgpSourceAsNumber u|17 bgpDestinationAsNumber u|18 bgpNextHopIPv4Address ip4|19 postMCastPacketDeltaCount u
20 postMCastOctetDeltaCount u|21 flowEndSysUpTime u|22 flowStartSysUpTime u|23 postOctetDeltaCount u|24 postPacketDeltaCount u
25 minimumIpTotalLength u|26 maximumIpTotalLength u|27 sourceIPv6Address ip6|28 destinationIPv6Address ip6
29 sourceIPv6PrefixLength u|30 destinationIPv6PrefixLength u|31 flowLabelIPv6 u|32 icmpTypeCodeIPv4 u|33 igmpType u
34 samplingInterval u|35 samplingAlgorithm u|36 flowActiveTimeout u|37 flowIdleTimeout u|38 engineType u|39 engineId u
40 exportedOctetTotalCount u|41 exportedMessageTotalCount u|42 exportedFlowRecordTotalCount u|43 ipv4RouterSc ip4
44 sourceIPv4Prefix ip4|45 destinationIPv4Prefix ip4|46 mplsTopLabelType u|47 mplsTopLabelIPv4Address ip4|48 samplerId u
49 samplerMode u|50 samplerRandomInterval u|51 classId u|52 minimumTTL u|53 maximumTTL u|54 fragmentIdentification u
55 postIpClassOfService u|56 sourceMacAddress mac|57 postDestinationMacAddress mac|58 vlanId u|59 postVlanId u|60 ipVersion u
61 flowDirection u|62 ipNextHopIPv6Address ip6|63 bgpNextHopIPv6Address ip6|64 ipv6ExtensionHeaders u
70 mplsTopLabelStackSection o|71 mplsLabelStackSection2 o|72 mplsLabelStackSection3 o|73 mplsLabelStackSection4 o
74 mplsLabelStackSection5 o|75 mplsLabelStackSection6 o|76 mplsLabelStackSection7 o|77 mplsLabelStackSection8 o
78 mplsLabelStackSection9 o|79 mplsLabelStackSection10 o|80 destinationMacAddress mac|81 postSourceMacAddress mac
82 interfaceName s|83 interfaceDescription s|84 samplerName s|85 octetTotalCount u|86 packetTotalCount u|87 flagsAndSamplerId u
88 fragmentOffset u|89 forwardingStatus u|90 mplsVpnRouteDistinguisher o|91 mplsTopLabelPrefixLength u|92 srcTrafficIndex u
93 dstTrafficIndex u|94 applicationDescription s|95 applicationId o|96 applicationName s|98 postIpDiffServCodePoint u
99 multicastReplicationFactor u|100 className s|101 classificationEngineId u|102 layer2packetSectionOffset u
103 layer2packetSectionSize u|104 layer2packetSectionData o|128 bgpNextAdjacentAsNumber u|129 bgpPrevAdjacentAsNumber u
130 exporterIPv4Address ip4|131 exporterIPv6Address ip6|132 droppedOctetDeltaCount u|133 droppedPacketDeltaCount u
134 droppedOctetTotalCount u|135 droppedPacketTotalCount u|136 flowEndReason u|137 commonPropertiesId u|138 observationPointId u
139 icmpTypeCodeIPv6 u|140 mplsTopLabelIPv6Address ip6|141 lineCardId u|142 portId u|143 meteringProcessId u
144 exportingProcessId u|145 templateId u|146 wlanChannelId u|147 wlanSSID s|148 flowId u|149 observationDomainId u
150 flowStartSeconds ts|151 flowEndSeconds ts|152 flowStartMilliseconds tms|153 flowEndMilliseconds tms
154 flowStartMicroseconds tus|155 flowEndMicroseconds tus|156 flowStartNanoseconds tns|157 flowEndNanoseconds tns
158 flowStartDeltaMicroseconds u|159 flowEndDeltaMicroseconds u|160 systemInitTimeMilliseconds tms
161 flowDurationMilliseconds u|162 flowDurationMicroseconds u|163 observedFlowTotalCount u|164 ignoredPacketTotalCount u
165 ignoredOctetTotalCount u|166 notSentFlowTotalCount u|167 notSentPacketTotalCount u|168 notSentOctetTotalCount u
169 destinationIPv6Prefix ip6|170 sourceIPv6Prefix ip6|171 postOctetTotalCount u|172 postPacketTotalCount u
173 flowKeyIndicator u|174 postMCastPacketTotalCount u|175 postMCastOctetTotalCount u|176 icmpTypeIPv4 u|177 icmpCodeIPv4 u
178 icmpTypeIPv6 u|179 icmpCodeIPv6 u|180 udpSourcePort u|181 udpDestinationPort u|182 tcpSourcePort u
183 tcpDestinationPort u|184 tcpSequenceNumber u|185 tcpAcknowledgementNumber u|186 tcpWindowSize u|187 tcpUrgentPointer u
188 tcpHeaderLength u|189 ipHeaderLength u|190 totalLengthIPv4 u|191 payloadLengthIPv6 u|192 ipTTL u|193 nextHeaderIPv6 u
194 mplsPayloadLength u|195 ipDiffServCodePoint u|196 ipPrecedence u|197 fragmentFlags u|198 octetDeltaSumOfSquares u
199 octetTotalSumOfSquares u|200 mplsTopLabelTTL u|201 mplsLabelStackLength u|202 mplsLabelStackDepth u|203 mplsTopLabelExp u
204 ipPayloadLength u|205 udpMessageLength u|206 isMulticast u|207 ipv4IHL u|208 ipv4Options u|209 tcpOptions u
210 paddingOctets o|211 collectorIPv4Address ip4|212 collectorIPv6Address ip6|213 exportInterface u
214 exportProtocolVersion u|215 exportTransportProtocol u|216 collectorTransportPort u|217 exporterTransportPort u
218 tcpSynTotalCount u|219 tcpFinTotalCount u|220 tcpRstTotalCount u|221 tcpPshTotalCount u|222 tcpAckTotalCount u
223 tcpUrgTotalCount u|224 ipTotalLength u|225 postNATSourceIPv4Address ip4|226 postNATDestinationIPv4Address ip4
227 postNAPTSourceTransportPort u|228 postNAPTDestinationTransportPort u|229 natOriginatingAddressRealm u|230 natEvent u
231 initiatorOctets u|232 responderOctets u|233 firewallEvent u|234 ingressVRFID u|235 egressVRFID u|236 VRFname s
237 postMplsTopLabelExp u|238 tcpWindowScale u|239 biflowDirection u|240 ethernetHeaderLength u|241 ethernetPayloadLength u
242 ethernetTotalLength u|243 dot1qVlanId u|244 dot1qPriority u|245 dot1qCustomerVlanId u|246 dot1qCustomerPriority u
247 metroEvcId s|248 metroEvcType u|249 pseudoWireId u|250 pseudoWireType u|251 pseudoWireControlWord u
252 ingressPhysicalInterface u|253 egressPhysicalInterface u|254 postDot1qVlanId u|255 postDot1qCustomerVlanId u
256 ethernetType u|257 postIpPrecedence u|258 collectionTimeMilliseconds tms|259 exportSctpStreamId u|260 maxExportSeconds ts
261 maxFlowEndSeconds ts|262 messageMD5Checksum o|263 messageScope u|264 minExportSeconds ts|265 minFlowStartSeconds ts
266 opaqueOctets o|267 sessionScope u|268 maxFlowEndMicroseconds tus|269 maxFlowEndMilliseconds tms
270 maxFlowEndNanoseconds tns|271 minFlowStartMicroseconds tus|272 minFlowStartMilliseconds tms|273 minFlowStartNanoseconds tns
274 collectorCertificate o|275 exporterCertificate o|276 dataRecordsReliability b|277 observationPointType u
278 newConnectionDeltaCount u|279 connectionSumDurationSeconds u|280 connectionTransactionId u
281 postNATSourceIPv6Address ip6|282 postNATDestinationIPv6Address ip6|283 natPoolId u|284 natPoolName s
285 anonymizationFlags u|286 anonymizationTechnique u|287 informationElementIndex u|288 p2pTechnology s
289 tunnelTechnology s|290 encryptedTechnology s|291 basicList bl|292 subTemplateList stl|293 subTemplateMultiList stml
294 bgpValidityState u|295 IPSecSPI u|296 greKey u|297 natType u|298 initiatorPackets u|299 responderPackets u
300 observationDomainName s|301 selectionSequenceId u|302 selectorId u|303 informationElementId u|304 selectorAlgorithm u
305 samplingPacketInterval u|306 samplingPacketSpace u|307 samplingTimeInterval u|308 samplingTimeSpace u|309 samplingSize u
310 samplingPopulation u|311 samplingProbability f|312 dataLinkFrameSize u|313 ipHeaderPacketSection o
314 ipPayloadPacketSection o|315 dataLinkFrameSection o|316 mplsLabelStackSection o|317 mplsPayloadPacketSection o
318 selectorIdTotalPktsObserved u|319 selectorIdTotalPktsSelected u|320 absoluteError f|321 relativeError f
322 observationTimeSeconds ts|323 observationTimeMilliseconds tms|324 observationTimeMicroseconds tus
325 observationTimeNanoseconds tns|326 digestHashValue u|327 hashIPPayloadOffset u|328 hashIPPayloadSize u
329 hashOutputRangeMin u|330 hashOutputRangeMax u|331 hashSelectedRangeMin u|332 hashSelectedRangeMax u|333 hashDigestOutput b
334 hashInitialiserValue u|335 selectorName s|336 upperCILimit f|337 lowerCILimit f|338 confidenceLevel f
339 informationElementDataType u|340 informationElementDescription s|341 informationElementName s
342 informationElementRangeBegin u|343 informationElementRangeEnd u|344 informationElementSemantics u
345 informationElementUnits u|346 privateEnterpriseNumber u|347 virtualStationInterfaceId o|348 virtualStationInterfaceName s
349 virtualStationUUID o|350 virtualStationName s|351 layer2SegmentId u|352 layer2OctetDeltaCount u|353 layer2OctetTotalCount u
354 ingressUnicastPacketTotalCount u|355 ingressMulticastPacketTotalCount u|356 ingressBroadcastPacketTotalCount u
357 egressUnicastPacketTotalCount u|358 egressBroadcastPacketTotalCount u|359 monitoringIntervalStartMilliSeconds tms
360 monitoringIntervalEndMilliSeconds tms|361 portRangeStart u|362 portRangeEnd u|363 portRangeStepSize u
364 portRangeNumPorts u|365 staMacAddress mac|366 staIPv4Address ip4|367 wtpMacAddress mac|368 ingressInterfaceType u
369 egressInterfaceType u|370 rtpSequenceNumber u|371 userName s|372 applicationCategoryName s
373 applicationSubCategoryName s|374 applicationGroupName s|375 originalFlowsPresent u|376 originalFlowsInitiated u
377 originalFlowsCompleted u|378 distinctCountOfSourceIPAddress u|379 distinctCountOfDestinationIPAddress u
380 distinctCountOfSourceIPv4Address u|381 distinctCountOfDestinationIPv4Address u|382 distinctCountOfSourceIPv6Address u
383 distinctCountOfDestinationIPv6Address u|384 valueDistributionMethod u|385 rfc3550JitterMilliseconds u
386 rfc3550JitterMicroseconds u|387 rfc3550JitterNanoseconds u|388 dot1qDEI b|389 dot1qCustomerDEI b
390 flowSelectorAlgorithm u|391 flowSelectedOctetDeltaCount u|392 flowSelectedPacketDeltaCount u
393 flowSelectedFlowDeltaCount u|394 selectorIDTotalFlowsObserved u|395 selectorIDTotalFlowsSelected u
396 samplingFlowInterval u|397 samplingFlowSpacing u|398 flowSamplingTimeInterval u|399 flowSamplingTimeSpacing u
400 hashFlowDomain u|401 transportOctetDeltaCount u|402 transportPacketDeltaCount u|403 originalExporterIPv4Address ip4
404 originalExporterIPv6Address ip6|405 originalObservationDomainId u|406 intermediateProcessId u
407 ignoredDataRecordTotalCount u|408 dataLinkFrameType u|409 sectionOffset u|410 sectionExportedOctets u
411 dot1qServiceInstanceTag o|412 dot1qServiceInstanceId u|413 dot1qServiceInstancePriority u
414 dot1qCustomerSourceMacAddress mac|415 dot1qCustomerDestinationMacAddress mac|417 postLayer2OctetDeltaCount u
418 postMCastLayer2OctetDeltaCount u|420 postLayer2OctetTotalCount u|421 postMCastLayer2OctetTotalCount u
422 minimumLayer2TotalLength u|423 maximumLayer2TotalLength u|424 droppedLayer2OctetDeltaCount u
425 droppedLayer2OctetTotalCount u|426 ignoredLayer2OctetTotalCount u|427 notSentLayer2OctetTotalCount u
428 layer2OctetDeltaSumOfSquares u|429 layer2OctetTotalSumOfSquares u|430 layer2FrameDeltaCount u|431 layer2FrameTotalCount u
432 pseudoWireDestinationIPv4Address ip4|433 ignoredLayer2FrameTotalCount u|434 mibObjectValueInteger i
435 mibObjectValueOctetString o|436 mibObjectValueOID o|437 mibObjectValueBits o|438 mibObjectValueIPAddress ip4
439 mibObjectValueCounter u|440 mibObjectValueGauge u|441 mibObjectValueTimeTicks u|442 mibObjectValueUnsigned u
443 mibObjectValueTable stl|444 mibObjectValueRow stl|445 mibObjectIdentifier o|446 mibSubIdentifier u|447 mibIndexIndicator u
448 mibCaptureTimeSemantics u|449 mibContextEngineID o|450 mibContextName s|451 mibObjectName s|452 mibObjectDescription s
453 mibObjectSyntax s|454 mibModuleName s|455 mobileIMSI s|456 mobileMSISDN s|457 httpStatusCode u
458 sourceTransportPortsLimit u|459 httpRequestMethod s|460 httpRequestHost s|461 httpRequestTarget s
462 httpMessageVersion s|463 natInstanceID u|464 internalAddressRealm o|465 externalAddressRealm o
466 natQuotaExceededEvent u|467 natThresholdEvent u|468 httpUserAgent s|469 httpContentType s|470 httpReasonPhrase s
471 maxSessionEntries u|472 maxBIBEntries u|473 maxEntriesPerUser u|474 maxSubscribers u
475 maxFragmentsPendingReassembly u|476 addressPoolHighThreshold u|477 addressPoolLowThreshold u
478 addressPortMappingHighThreshold u|479 addressPortMappingLowThreshold u|480 addressPortMappingPerUserHighThreshold u
481 globalAddressMappingHighThreshold u|482 vpnIdentifier o|483 bgpCommunity u|484 bgpSourceCommunityList bl
485 bgpDestinationCommunityList bl|486 bgpExtendedCommunity o|487 bgpSourceExtendedCommunityList bl
488 bgpDestinationExtendedCommunityList bl|489 bgpLargeCommunity o|490 bgpSourceLargeCommunityList bl
491 bgpDestinationLargeCommunityList bl|492 srhFlagsIPv6 u|493 srhTagIPv6 u|494 srhSegmentIPv6 ip6
495 srhActiveSegmentIPv6 ip6|496 srhSegmentIPv6BasicList bl|497 srhSegmentIPv6ListSection o|498 srhSegmentsIPv6Left u
499 srhIPv6Section o|500 srhIPv6ActiveSegmentType u|501 srhSegmentIPv6LocatorLength u|502 srhSegmentIPv6EndpointBehavior u
`;

// NetFlow v9 field types outside IANA's numbering: Cisco ASA (NSEL) and NAT logging.
const NETFLOW9_VENDOR = `
33000 ingressAclId o|33001 egressAclId o|33002 fwExtEvent u|40000 userName s|40001 xlateSourceIPv4Address ip4
40002 xlateDestinationIPv4Address ip4|40003 xlateSourcePort u|40004 xlateDestinationPort u|40005 fwEvent u
`;

// Enterprise elements seen in practice, by PEN.
const ENTERPRISE: Record<number, { prefix: string; list: string }> = {
  // VMware vSphere distributed switch / NSX (IPFIX), and Open vSwitch's tunnel elements under VMware's PEN.
  [PEN.vmware]: {
    prefix: 'vmware',
    list: `
880 tenantProtocol u|881 tenantSourceIPv4 ip4|882 tenantDestIPv4 ip4|883 tenantSourceIPv6 ip6|884 tenantDestIPv6 ip6
886 tenantSourcePort u|887 tenantDestPort u|888 egressInterfaceAttr u|889 vxlanExportRole u|890 ingressInterfaceAttr u
891 tunnelType u|892 tunnelKey o|893 tunnelSourceIPv4Address ip4|894 tunnelDestinationIPv4Address ip4
895 tunnelProtocolIdentifier u|896 tunnelSourceTransportPort u|897 tunnelDestinationTransportPort u|898 virtualObsID s
950 ruleId u|951 vmUuid s|952 vnicIndex u|953 sessionFlags u|954 flowDirection u|955 algControlFlowId u|956 algType u
957 algFlowType u|958 averageLatency u|959 retransmissionCount u|960 vifUuid o|961 vifId s
`,
  },
  // Cisco AVC (application visibility) elements.
  [PEN.cisco]: {
    prefix: 'cisco',
    list: `
4315 tcpWindowSizeMin u|4316 tcpWindowSizeMax u|4318 tcpMaximumSegmentSize u|4324 tcpWindowSizeSum u
8232 classHierarchy o|8337 serverBytesNetwork u|8338 clientBytesNetwork u|9252 servicesWaasSegment u
9253 servicesWaasPassThroughReason u|9267 clientRetransBytes u|9268 clientRetransPackets u|9269 serverRetransBytes u
9270 serverRetransPackets u|9272 transactionCountDelta u|9273 sumTransactionTime u|9274 maxTransactionTime u
9275 minTransactionTime u|9303 sumRespTime u|9304 maxRespTime u|9305 minRespTime u|9306 sumServerRespTime u
9313 sumNwkTime u|9316 sumClientNwkTime u|9319 sumServerNwkTime u|9357 appHTTPUriStatistics s|9360 policyQosQueueID u
9361 policyQosQueueDrop u|12232 appCategoryName s|12233 appSubCategoryName s|12234 appGroupName s|12235 appHTTPHost s
12236 clientIPv4Address ip4|12237 serverIPv4Address ip4|12238 clientIPv6Address ip6|12239 serverIPv6Address ip6
12240 clientTransportPort u|12241 serverTransportPort u|12242 connectionId u|12244 appBusiness s
`,
  },
  // Juniper: the common properties id carries forwarding class / loss priority and similar per-flow context.
  [PEN.juniper]: { prefix: 'juniper', list: '137 commonPropertiesId u' },
  // pmacct's nfprobe: tags and the variable-length label set by pre_tag_map.
  [PEN.pmacct]: { prefix: 'pmacct', list: '1 tag u|2 tag2 u|3 label s' },
};

function parseList(text: string, prefix: string, into: Map<number, ElementInfo>, keyBase: number) {
  for (const entry of text.split(/[|\n]/)) {
    const parts = entry.trim().split(' ');
    if (parts.length !== 3) continue;
    const id = Number(parts[0]);
    into.set(keyBase + id, { name: prefix ? `${prefix}.${parts[1]}` : parts[1]!, type: parts[2] as ElementType });
  }
}

const iana = new Map<number, ElementInfo>();
parseList(IANA, '', iana, 0);
const netflow9 = new Map<number, ElementInfo>(iana);
parseList(NETFLOW9_VENDOR, '', netflow9, 0);
const enterprise = new Map<number, ElementInfo>();
for (const [pen, { prefix, list }] of Object.entries(ENTERPRISE)) parseList(list, prefix, enterprise, Number(pen) * 65536);

/**
 * What an element is: IANA (pen 0), an enterprise element, or the RFC 5103 reverse of an IANA
 * element (pen 29305: same type, name prefixed "reverse"). Unknown elements get a name that
 * says where they come from (e.g. "pen6876.1234", "ie400") and type octets.
 */
export function elementInfo(id: number, pen: number, netflowV9 = false): ElementInfo {
  if (pen === 0) return (netflowV9 ? netflow9 : iana).get(id) ?? { name: netflowV9 ? `field${id}` : `ie${id}`, type: 'o' };
  if (pen === PEN.reverse) {
    const fwd = iana.get(id);
    if (fwd) return { name: `reverse${fwd.name[0]!.toUpperCase()}${fwd.name.slice(1)}`, type: fwd.type };
    return { name: `reverse.ie${id}`, type: 'o' };
  }
  return enterprise.get(pen * 65536 + id) ?? { name: `pen${pen}.${id}`, type: 'o' };
}

/** Number of elements the registry knows (IANA + enterprise), for the docs and tests. */
export function registrySize(): { iana: number; enterprise: number } {
  return { iana: iana.size, enterprise: enterprise.size };
}
