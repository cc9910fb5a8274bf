import Foundation

/// Finds the first number in a JSON body that cannot fit the field it is in, so that a 400 can
/// name the field (Foundation's decoder reports these as "not valid JSON" without a path).
enum NumberRangeCheck {
    /// Allowed ranges of the API's integer fields, by field name; other integer fields are `Int`.
    static let ranges: [String: ClosedRange<Double>] = [
        "ssrc": 0...4_294_967_295, "rtxSsrc": 0...4_294_967_295,
        "payloadType": 0...127, "rtxPayloadType": 0...127,
        "port": 0...65_535, "id": 0...Double(Int.max), "producerId": 0...Double(Int.max),
    ]

    /// "encodings[0].ssrc: -1 is outside 0...4294967295", or nil when every number fits.
    static func firstProblem(in data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data) else { return nil }
        return check(root, path: "", field: nil)
    }

    private static func check(_ value: Any, path: String, field: String?) -> String? {
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if let problem = check(object[key]!, path: path.isEmpty ? key : "\(path).\(key)", field: key) { return problem }
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let problem = check(element, path: "\(path)[\(index)]", field: field) { return problem }
            }
        // JSON true and false are NSNumbers of type "c" (char); numbers are "q" or "d".
        case let number as NSNumber where String(cString: number.objCType) != "c":
            let double = number.doubleValue
            if let field, let range = ranges[field] {
                if double.rounded() != double { return "\(path): \(number) is not an integer" }
                if !range.contains(double) { return "\(path): \(number) is outside \(Int(range.lowerBound))...\(Int(range.upperBound))" }
            } else if double.rounded() != double || abs(double) > 9.0e15 {
                return "\(path): \(number) does not fit this field (an integer is expected)"
            }
        default:
            break
        }
        return nil
    }
}
