package state

import "github.com/hyperledger/fabric-chaincode-go/v2/shim"

// Object types of the convocations contract. Every key starts with the MSP
// ID of the administration that owns the entry, so one administration's
// entries form one range and no transaction of another administration can
// write into it.
const (
	// TypeConvocationBody keys a body (council, committee…) by owner MSP
	// and body ID.
	TypeConvocationBody = "convocation.body"
	// TypeMeeting keys a meeting by owner MSP and meeting ID; its range per
	// owner is the public register of meetings.
	TypeMeeting = "convocation.meeting"
	// TypeConvocation keys one convocation by owner MSP, meeting ID and
	// convocation ID, so a meeting's convocations form one range.
	TypeConvocation = "convocation.item"
)

// ConvocationBodyKey is the key of body bodyID of administration ownerMSP.
func ConvocationBodyKey(stub shim.ChaincodeStubInterface, ownerMSP, bodyID string) (string, error) {
	return Key(stub, TypeConvocationBody, ownerMSP, bodyID)
}

// MeetingKey is the key of meeting meetingID of administration ownerMSP.
func MeetingKey(stub shim.ChaincodeStubInterface, ownerMSP, meetingID string) (string, error) {
	return Key(stub, TypeMeeting, ownerMSP, meetingID)
}

// ConvocationKey is the key of convocation convocationID of a meeting.
func ConvocationKey(stub shim.ChaincodeStubInterface, ownerMSP, meetingID, convocationID string) (string, error) {
	return Key(stub, TypeConvocation, ownerMSP, meetingID, convocationID)
}
